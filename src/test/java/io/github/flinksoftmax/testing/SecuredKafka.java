package io.github.flinksoftmax.testing;

import io.github.flinksoftmax.local.LocalKafka;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kafka broker (its own process, {@link LocalKafka}) that lets nobody in without
 * authentication and nobody do anything without an ACL: a SASL_SSL listener with SCRAM-SHA-512
 * (users created at format time), an SSL listener that requires a client certificate (mutual TLS,
 * principal {@code User:<CN>}), an SSL controller listener, and the {@code StandardAuthorizer}
 * with {@code User:broker} and {@code User:admin} as super users. Certificates and passwords are
 * made fresh for each test JVM, so a password is a string nothing else contains. Started once
 * per test JVM and shared; each test uses its own topics and grants its own ACLs. A test class
 * registers {@link Extension} and takes a {@code SecuredKafka} parameter.
 */
public final class SecuredKafka {

    /** Starts the shared broker (if it is not running) and hands it to test methods as a parameter. */
    public static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SecuredKafka.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(STORE)
                    .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class).kafka;
        }
    }

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(SecuredKafka.class);

    /**
     * The broker as a resource of JUnit's root store, stopped when the test engine finishes and
     * before Surefire ends the JVM, not by a JVM shutdown hook.
     */
    private record Running(SecuredKafka kafka) implements AutoCloseable {

        static Running start() {
            try {
                return new Running(SecuredKafka.start());
            } catch (Exception e) {
                throw new ParameterResolutionException("The secured Kafka broker did not start: " + e, e);
            }
        }

        @Override
        public void close() {
            kafka.broker.close();
        }
    }

    /** SCRAM user with no ACLs of its own; tests grant what they need. */
    public static final String ALICE = "alice";
    /** SCRAM user that tests deny something. */
    public static final String MALLORY = "mallory";
    /** Common name of the mutual-TLS client certificate. */
    public static final String CLIENT = "client";

    private static final String ADMIN = "admin";
    private static final String SCRAM = "SCRAM-SHA-512";

    private final TestCertificates certs;
    private final Map<String, String> passwords = new HashMap<>();
    private final Path clientKeyStore;
    private final int saslPort;
    private final int sslPort;
    private final LocalKafka broker;

    private SecuredKafka(Path dir) throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        Path brokerKeyStore = certs.keyStore("broker");
        clientKeyStore = certs.keyStore(CLIENT);
        for (String user : List.of(ADMIN, ALICE, MALLORY)) {
            passwords.put(user, user + "-" + UUID.randomUUID());
        }
        saslPort = freePort();
        sslPort = freePort();
        Map<String, Integer> listeners = new LinkedHashMap<>();
        listeners.put("SASL_SSL", saslPort);
        listeners.put("SSL", sslPort);
        broker = new LocalKafka(saslPort, dir.resolve("kafka"), dir.resolve("kafka.log"),
                new LocalKafka.Security(listeners, serverProperties(brokerKeyStore), formatArguments(), admin()));
    }

    /** Starts a secured broker; about 15 s. */
    private static SecuredKafka start() throws Exception {
        Path dir = Files.createTempDirectory("secured-kafka");
        SecuredKafka kafka = new SecuredKafka(dir);
        kafka.broker.start(Duration.ofSeconds(90));
        try {
            KafkaBroker.warmUp(kafka.admin());
        } catch (Exception e) {
            kafka.broker.close();
            throw e;
        }
        return kafka;
    }

    private Map<String, String> serverProperties(Path brokerKeyStore) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,SSL:SSL,CONTROLLER:SSL");
        // the broker talks to itself (transaction markers) and to its controller with its own certificate
        p.put("inter.broker.listener.name", "SSL");
        p.put("sasl.enabled.mechanisms", SCRAM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", brokerKeyStore.toString());
        p.put("ssl.keystore.password", certs.password());
        p.put("ssl.key.password", certs.password());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", certs.trustStore().toString());
        p.put("ssl.truststore.password", certs.password());
        // client certificates on the SSL listeners only: SASL_SSL clients prove who they are with SCRAM
        p.put("listener.name.ssl.ssl.client.auth", "required");
        p.put("listener.name.controller.ssl.client.auth", "required");
        // User:client rather than User:CN=client, as operators usually map certificate names
        p.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:broker;User:" + ADMIN);
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        return p;
    }

    private List<String> formatArguments() {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> user : passwords.entrySet()) {
            args.add("--add-scram");
            args.add(SCRAM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]");
        }
        return args;
    }

    /** The password of a SCRAM user: the secret the leak test looks for. */
    public String password(String user) {
        return passwords.get(user);
    }

    /** The password of every key and trust store. */
    public String storePassword() {
        return certs.password();
    }

    /** Client properties of the super user, over SASL_SSL: for the tests' own set-up and reading. */
    public Map<String, Object> admin() {
        return scram(ADMIN, passwords.get(ADMIN));
    }

    /**
     * Client properties for a SCRAM user over SASL_SSL, as a job would pass them under
     * {@code kafka.}; {@code password} may be a config-provider reference such as
     * {@code ${file:/path:key}}.
     */
    public Map<String, Object> scram(String user, String password) {
        Map<String, Object> p = trust();
        p.put("bootstrap.servers", "localhost:" + saslPort);
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", SCRAM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return p;
    }

    /** Client properties for mutual TLS with the {@link #CLIENT} certificate; {@code storePassword} as for {@link #scram}. */
    public Map<String, Object> mutualTls(String storePassword) {
        Map<String, Object> p = trust();
        p.put("bootstrap.servers", "localhost:" + sslPort);
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", clientKeyStore.toString());
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.key.password", storePassword);
        return p;
    }

    private Map<String, Object> trust() {
        Map<String, Object> p = new HashMap<>();
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", certs.trustStore().toString());
        p.put("ssl.truststore.password", certs.password());
        return p;
    }

    /**
     * Grants {@code User:<principal>} what the job needs: READ on {@code in} and on consumer
     * groups and WRITE on transactional ids starting with {@code jobName}, WRITE and READ on each
     * of {@code writable} (READ for the exactly-once sinks' default transaction naming, pooling),
     * and DESCRIBE on all those topics.
     */
    public void grantJob(String principal, String jobName, String in, String... writable) throws Exception {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, ResourceType.TOPIC, in, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TOPIC, in, PatternType.LITERAL, AclOperation.DESCRIBE));
        for (String topic : writable) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        acls.add(allow(principal, ResourceType.GROUP, jobName, PatternType.PREFIXED, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, jobName, PatternType.PREFIXED, AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, jobName, PatternType.PREFIXED, AclOperation.DESCRIBE));
        grant(acls);
    }

    /** Grants single operations, as {@link #grantJob} does. */
    public void grant(List<AclBinding> acls) throws Exception {
        try (Admin admin = Admin.create(admin())) {
            admin.createAcls(acls).all().get();
            // the controller has committed them; wait until the broker's authorizer applies them too
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ACLs not visible on the broker after 30 s: " + acls);
                }
                Thread.sleep(50);
            }
        }
    }

    public static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
