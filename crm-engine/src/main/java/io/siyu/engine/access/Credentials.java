package io.siyu.engine.access;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.engine.system.SecretKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Staff and integration credentials without an identity server. A credential has an id, a unique name (what staff
 * writes record as their actor; an agent's name is their WeCom userid), a role, and a secret shown once at creation:
 * {@code siyu_<id>_<secret>}. The secret is derived from the engine's credential key and the id (HMAC-SHA256), so the
 * store keeps only its SHA-256 hash: a copy of the database alone reveals no secret, and the engine can still check
 * request signatures made with it. Revoking keeps the name taken, so a name in history always means one credential.
 */
public final class Credentials {

    static final String COLLECTION = "credentials";
    static final String NAMES = "credential_names";
    private static final String PREFIX = "siyu_";
    private static final String ID_PREFIX = "cr";

    private final MongoCollection<Document> credentials;
    private final MongoCollection<Document> names;
    private final byte[] credentialKey;
    private final Clock clock;

    public Credentials(MongoDatabase database, byte[] credentialKey, Clock clock) {
        this.credentials = database.getCollection(COLLECTION);
        this.names = database.getCollection(NAMES);
        this.credentialKey = credentialKey.clone();
        this.clock = clock;
    }

    /** A credential as listed: never its secret. */
    public record Credential(String credentialId, String name, Role role, String createdBy, Date createdAt,
                             Date revokedAt) {
    }

    /** A credential just created, with its secret: shown once. */
    public record Created(Credential credential, String secret) {
    }

    /** The name is taken (by a live or revoked credential). */
    public static final class NameTakenException extends RuntimeException {
        NameTakenException(String name) {
            super("A credential named " + name + " exists (or existed); names are never reused");
        }
    }

    public Mono<Created> create(Role role, String name, String createdBy) {
        if (role == Role.MEMBER) {
            return Mono.error(new IllegalArgumentException("members sign in through the Mini Program"));
        }
        String credentialId = ID_PREFIX + HexFormat.of().formatHex(SecretKeys.random(8));
        Document credential = new Document("_id", credentialId).append("name", name).append("role", role.code())
                .append("createdBy", createdBy).append("createdAt", Date.from(clock.instant()))
                .append("secretHash", sha256(secretOf(credentialId)));
        // names are unique whatever their case: an agent's name is a WeCom userid, which WeCom compares so
        return Mono.from(names.insertOne(new Document("_id", name.toLowerCase(java.util.Locale.ROOT))
                        .append("name", name).append("credentialId", credentialId)))
                .onErrorMap(Credentials::isDuplicateKey, duplicate -> new NameTakenException(name))
                .then(Mono.from(credentials.insertOne(credential)))
                .thenReturn(new Created(toCredential(credential), apiKey(credentialId)));
    }

    public Flux<Credential> list() {
        return Flux.from(credentials.find().sort(Sorts.ascending("createdAt"))).map(Credentials::toCredential);
    }

    /** @return the revoked credential, empty when there is none with this id */
    public Mono<Credential> revoke(String credentialId) {
        return Mono.from(credentials.updateOne(Filters.and(Filters.eq("_id", credentialId),
                        Filters.eq("revokedAt", null)), Updates.set("revokedAt", Date.from(clock.instant()))))
                .then(find(credentialId));
    }

    /** @return whether any credential has the role (live or revoked): the engine's first start has none */
    public Mono<Boolean> anyWithRole(Role role) {
        return Mono.from(credentials.find(Filters.eq("role", role.code())).first()).hasElement();
    }

    Mono<Credential> find(String credentialId) {
        return Mono.from(credentials.find(Filters.eq("_id", credentialId)).first()).map(Credentials::toCredential);
    }

    /** The caller a bearer API key proves, empty when it is unknown, wrong or revoked. */
    public Mono<Caller> verifyKey(String presented) {
        Optional<String[]> parts = parse(presented);
        if (parts.isEmpty()) {
            return Mono.empty();
        }
        String credentialId = parts.get()[0];
        byte[] hash = sha256Bytes(parts.get()[1]);
        return Mono.from(credentials.find(Filters.eq("_id", credentialId)).first())
                .filter(found -> found.get("revokedAt") == null)
                .filter(found -> MessageDigest.isEqual(hash, HexFormat.of().parseHex(found.getString("secretHash"))))
                .map(found -> caller(toCredential(found)));
    }

    /** The live credential with this id, for checking a request signed with its secret. */
    public Mono<Credential> live(String credentialId) {
        return find(credentialId).filter(credential -> credential.revokedAt() == null);
    }

    /** HMAC-SHA256 of {@code text} keyed with the credential's whole secret ({@code siyu_<id>_<secret>}, UTF-8). */
    public byte[] sign(String credentialId, String text) {
        return hmac(apiKey(credentialId).getBytes(StandardCharsets.UTF_8), text);
    }

    private String apiKey(String credentialId) {
        return PREFIX + credentialId + "_" + secretOf(credentialId);
    }

    /** @return whether {@code id} names a credential (tokens from WeChat or WeCom sign-in name none) */
    static boolean isCredentialId(String id) {
        return id != null && id.startsWith(ID_PREFIX) && id.length() == ID_PREFIX.length() + 16;
    }

    static Caller caller(Credential credential) {
        return new Caller(credential.role(), credential.name(), credential.credentialId());
    }

    private String secretOf(String credentialId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(credentialKey, credentialId));
    }

    private static Optional<String[]> parse(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = presented.substring(PREFIX.length());
        int separator = rest.indexOf('_');
        if (separator <= 0 || separator == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[] {rest.substring(0, separator), rest.substring(separator + 1)});
    }

    private static Credential toCredential(Document document) {
        return new Credential(document.getString("_id"), document.getString("name"),
                Role.fromCode(document.getString("role")).orElseThrow(), document.getString("createdBy"),
                document.getDate("createdAt"), document.getDate("revokedAt"));
    }

    static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(sha256Bytes(text));
    }

    static byte[] sha256Bytes(String text) {
        return sha256Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256Bytes(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean isDuplicateKey(Throwable error) {
        return error instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    static List<Role> grantable() {
        return List.of(Role.AGENT, Role.MARKETER, Role.OPERATOR, Role.INTEGRATION, Role.METRICS);
    }
}
