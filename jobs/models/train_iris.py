"""Trains jobs/models/iris-logreg.* : multinomial logistic regression on Fisher's Iris data.

Needs only NumPy. The objective is scikit-learn's LogisticRegression default (multinomial,
L2 penalty with C = 1, intercept not penalised):
    minimise  0.5 * ||W||^2  +  C * sum_n cross_entropy(softmax(W x_n + b), y_n)
solved by Newton's method on the full batch (the problem is small and strictly convex), so the
result is deterministic and matches what sklearn's lbfgs converges to, within its tolerance.
Run from the repository root:  python3 jobs/models/train_iris.py
"""
import json
import numpy as np

HERE = "jobs/models/"
CLASSES = ["setosa", "versicolor", "virginica"]
C = 1.0

rows = [line.strip().split(",") for line in open(HERE + "samples.csv")][1:]
X = np.array([[float(v) for v in r[:4]] for r in rows])
y = np.array([CLASSES.index(r[4]) for r in rows])
n, d = X.shape
k = len(CLASSES)
Y = np.eye(k)[y]
Xb = np.hstack([X, np.ones((n, 1))])  # the last column carries the intercept
theta = np.zeros((k, d + 1))
reg = np.eye(d + 1)
reg[d, d] = 0.0  # the intercept is not penalised

def probs(t):
    z = Xb @ t.T
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)

for it in range(100):
    P = probs(theta)
    grad = (C * (P - Y).T @ Xb) + theta @ reg  # [k, d+1]
    # the full Hessian over all k*(d+1) parameters
    H = np.zeros((k * (d + 1), k * (d + 1)))
    for a in range(k):
        for b in range(k):
            wab = P[:, a] * ((a == b) - P[:, b])
            H[a*(d+1):(a+1)*(d+1), b*(d+1):(b+1)*(d+1)] = C * (Xb.T * wab) @ Xb + (reg if a == b else 0)
    # the softmax is invariant to adding one vector to every class; the penalty fixes W but not b,
    # so a tiny ridge keeps the Newton system solvable
    step = np.linalg.solve(H + 1e-10 * np.eye(H.shape[0]), grad.reshape(-1))
    theta -= step.reshape(k, d + 1)
    if np.abs(grad).max() < 1e-10:
        break
# intercepts are defined up to a common constant: centre them, as sklearn's multinomial does
theta[:, d] -= theta[:, d].mean()
W = theta[:, :d].astype(np.float32)
b = theta[:, d].astype(np.float32)
acc = (np.argmax(Xb @ theta.T, axis=1) == y).mean()
print("Newton iterations:", it + 1, "max |gradient|:", np.abs(grad).max(), "training accuracy:", acc)

version = "iris-2026-12-07"
json.dump({"coef": W.tolist(), "intercept": b.tolist(), "classes": CLASSES, "version": version},
          open(HERE + "iris-logreg.json", "w"), indent=1)
np.save(HERE + "iris-logreg-coef.npy", W)
np.save(HERE + "iris-logreg-intercept.npy", b)
with open(HERE + "iris-logreg.csv", "w") as f:
    f.write("class,intercept,sepal_length,sepal_width,petal_length,petal_width\n")
    for j in range(k):
        f.write(",".join([CLASSES[j], repr(float(b[j]))] + [repr(float(v)) for v in W[j]]) + "\n")
