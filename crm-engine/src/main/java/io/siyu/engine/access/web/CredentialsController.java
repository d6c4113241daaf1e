package io.siyu.engine.access.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.access.Caller;
import io.siyu.engine.access.Credentials;
import io.siyu.engine.access.Role;
import io.siyu.engine.access.AccessRefused;
import io.siyu.engine.web.InvalidFieldException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * Operators manage staff and integration credentials: {@code POST /api/v1/admin/credentials {"role","name"}} answers
 * 201 with the secret (shown this once; only its hash is kept), {@code GET} lists them without secrets,
 * {@code DELETE /{credentialId}} revokes one (its API key and signatures stop working at once; tokens it was exchanged
 * for live out their short lifetime). Roles: agent, marketer, operator, integration, metrics. An agent's name is their
 * WeCom userid.
 */
@RestController
@RequestMapping("/api/v1/admin/credentials")
class CredentialsController {

    private final Credentials credentials;

    CredentialsController(Credentials credentials) {
        this.credentials = credentials;
    }

    record CreateRequest(@NotBlank String role,
                         @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.@-]+",
                                 message = "must be letters, digits and _ . @ -") String name) {
    }

    record CreatedCredential(String credentialId, String name, String role, String secret, String note) {
    }

    record Listed(String credentialId, String name, String role, String createdBy, String createdAt,
                  String revokedAt) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<CreatedCredential> create(@Valid @RequestBody CreateRequest request, @AuthenticationPrincipal Caller caller) {
        Role role = Role.fromCode(request.role()).filter(found -> found != Role.MEMBER)
                .orElseThrow(() -> new InvalidFieldException("role",
                        "must be one of agent, marketer, operator, integration, metrics"));
        return credentials.create(role, request.name(), caller.actor())
                .onErrorMap(Credentials.NameTakenException.class,
                        taken -> AccessRefused.conflict("credential-name-taken", taken.getMessage(),
                                java.util.Map.of("name", request.name())))
                .map(created -> new CreatedCredential(created.credential().credentialId(),
                        created.credential().name(), role.code(), created.secret(),
                        "Shown once: store it now. Use it as 'Authorization: Bearer <secret>', or sign requests "
                                + "with it (SIYU-HMAC-SHA256)."));
    }

    @GetMapping
    Mono<List<Listed>> list() {
        return credentials.list().map(CredentialsController::listed).collectList();
    }

    @DeleteMapping("/{credentialId}")
    Mono<Listed> revoke(@PathVariable String credentialId) {
        return credentials.revoke(credentialId).map(CredentialsController::listed)
                .switchIfEmpty(Mono.error(() -> AccessRefused.notFound("unknown-credential",
                        "There is no credential " + credentialId, java.util.Map.of("credentialId", credentialId))));
    }

    private static Listed listed(Credentials.Credential credential) {
        return new Listed(credential.credentialId(), credential.name(), credential.role().code(),
                credential.createdBy(), String.valueOf(credential.createdAt().toInstant()),
                credential.revokedAt() == null ? null : credential.revokedAt().toInstant().toString());
    }
}
