package io.github.flinksoftmax.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and PKCS12 key stores signed by it, made with the running
 * JDK's {@code keytool} (so CI needs nothing but the JDK): a trust store holding the CA, and one
 * key store per subject whose certificate has {@code CN=<name>} and is valid for
 * {@code localhost}/{@code 127.0.0.1}. EC keys, as they are the quickest to generate. Every store
 * has the same random password, {@link #password()}, which the tests treat as a secret.
 */
public final class TestCertificates {

    private static final String CA = "ca";

    private final Path dir;
    private final String password = "ks-" + UUID.randomUUID();

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Creates the CA and the trust store in {@code dir}; about a second per keytool run. */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        TestCertificates certs = new TestCertificates(dir);
        Files.createDirectories(dir);
        certs.keytool("-genkeypair", "-alias", CA, "-dname", "CN=test-ca", "-ext", "bc:c",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-keystore", certs.store(CA).toString());
        certs.keytool("-exportcert", "-rfc", "-alias", CA, "-keystore", certs.store(CA).toString(),
                "-file", certs.pem(CA).toString());
        certs.keytool("-importcert", "-noprompt", "-alias", CA, "-file", certs.pem(CA).toString(),
                "-keystore", certs.trustStore().toString());
        return certs;
    }

    /** Creates {@code <name>.p12}: a key pair for {@code CN=<name>} with its CA-signed chain. */
    public Path keyStore(String name) throws IOException, InterruptedException {
        Path store = store(name);
        Path csr = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-keystore", store.toString());
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", CA, "-keystore", store(CA).toString(), "-infile", csr.toString(),
                "-outfile", signed.toString(), "-rfc", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2");
        // the reply must carry the whole chain, CA first, for keytool to install it under the key
        Path chain = dir.resolve(name + "-chain.pem");
        Files.writeString(chain, Files.readString(pem(CA), StandardCharsets.US_ASCII)
                + Files.readString(signed, StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
        keytool("-importcert", "-noprompt", "-alias", name, "-file", chain.toString(), "-keystore", store.toString());
        return store;
    }

    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** The password of every store and key. */
    public String password() {
        return password;
    }

    private Path store(String name) {
        return dir.resolve(name + ".p12");
    }

    private Path pem(String name) {
        return dir.resolve(name + "-cert.pem");
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        // -storepass:file keeps the password off the command line, where any process listing shows it
        Path passwordFile = dir.resolve(".storepass");
        if (!Files.exists(passwordFile)) {
            Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        }
        command.addAll(List.of("-storetype", "PKCS12", "-storepass:file", passwordFile.toString(),
                "-keypass:file", passwordFile.toString()));
        Path log = dir.resolve("keytool.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool " + args[0] + " took over 60 s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " exited with " + p.exitValue()
                    + ": " + Files.readString(log));
        }
    }
}
