package io.siyu.engine.access;

import java.util.ArrayList;
import java.util.List;


import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}) generated from the
 * controllers by springdoc, told who may call each operation by the same {@link AccessRules} table the security
 * chain enforces: its security requirements, an {@code x-siyu-callers} list of roles, the 401/403 problems, and the
 * {@code /api/v1/me/…} mirrors.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String MEMBER_TOKEN = "memberToken";
    static final String STAFF_TOKEN = "staffToken";
    static final String API_KEY = "apiKey";
    static final String SIGNED = "signedRequest";

    @Bean
    OpenApiCustomizer accessRulesInTheDocument() {
        return ApiDocumentation::describe;
    }

    static void describe(OpenAPI api) {
        api.info(new Info().title("Siyu API").version("v1").description(
                "Loyalty and private-domain CRM engine. Money in fen, points as integers, business days in "
                        + "Asia/Shanghai. Errors are RFC 7807 problem+json with type urn:siyu:problem:<name>. "
                        + "x-siyu-callers lists the roles an operation admits; members reach only their own member "
                        + "and agents only their WeCom contacts."));
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.components(components
                .addSecuritySchemes(MEMBER_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT").description("A member token from POST /api/v1/auth/mini-program"))
                .addSecuritySchemes(STAFF_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT").description("A staff token from POST /api/v1/auth/token or "
                                + "POST /api/v1/auth/wecom, or the identity provider's"))
                .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A credential's API key siyu_<id>_<secret> (POST /api/v1/admin/credentials)"))
                .addSecuritySchemes(SIGNED, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name("Authorization").description(
                                "SIYU-HMAC-SHA256 Credential=<id>, Timestamp=<unix s>, Nonce=<once>, Signature="
                                        + "<base64 HMAC-SHA256 keyed with the API key over METHOD\\npath?query\\n"
                                        + "timestamp\\nnonce\\nhex SHA-256 of the body>"))
                .addSchemas("Problem", new ObjectSchema()
                        .addProperty("type", new StringSchema().example("urn:siyu:problem:forbidden"))
                        .addProperty("title", new StringSchema()).addProperty("status", new Schema<Integer>()
                                .type("integer")).addProperty("detail", new StringSchema())));
        if (api.getPaths() == null) {
            return;
        }
        for (Route route : AccessRules.routes()) {
            if (route.mirror() != null) {
                mirror(api, route);
            }
        }
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                AccessRules.find(HttpMethod.valueOf(method.name()), path).ifPresent(route ->
                        document(operation, route))));
    }

    private static void mirror(OpenAPI api, Route route) {
        PathItem original = api.getPaths().get(route.mirror());
        if (original == null) {
            return;
        }
        Operation operation = original.readOperationsMap().get(PathItem.HttpMethod.valueOf(route.method().name()));
        if (operation == null) {
            return;
        }
        Operation copy = new Operation().summary(operation.getSummary()).description(
                        "The same as " + route.method().name() + " " + route.mirror() + " for the token's own member.")
                .operationId(operation.getOperationId() + "Me").requestBody(operation.getRequestBody())
                .responses(operation.getResponses()).tags(operation.getTags());
        if (operation.getParameters() != null) {
            copy.parameters(new ArrayList<>(operation.getParameters().stream()
                    .filter(parameter -> !"memberId".equals(parameter.getName())).toList()));
        }
        api.getPaths().computeIfAbsent(route.pattern(), any -> new PathItem())
                .operation(PathItem.HttpMethod.valueOf(route.method().name()), copy);
    }

    private static void document(Operation operation, Route route) {
        operation.addExtension("x-siyu-callers", route.roles().stream().map(Role::code).sorted().toList());
        if (route.isPublic()) {
            operation.setSecurity(List.of());
            return;
        }
        List<SecurityRequirement> security = new ArrayList<>();
        if (route.roles().contains(Role.MEMBER)) {
            security.add(new SecurityRequirement().addList(MEMBER_TOKEN));
        }
        if (route.roles().stream().anyMatch(Role::staff)) {
            security.add(new SecurityRequirement().addList(STAFF_TOKEN));
        }
        if (route.roles().stream().anyMatch(role -> role != Role.MEMBER)) {
            security.add(new SecurityRequirement().addList(API_KEY));
        }
        if (route.roles().contains(Role.INTEGRATION)) {
            security.add(new SecurityRequirement().addList(SIGNED));
        }
        operation.setSecurity(security);
        Content problem = new Content().addMediaType("application/problem+json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
        operation.getResponses().addApiResponse("401", new ApiResponse()
                .description("No credential, or one that proves no caller (expired, forged, revoked)").content(problem));
        operation.getResponses().addApiResponse("403", new ApiResponse()
                .description("Admits only " + route.roles().stream().map(Role::code).sorted().toList()
                        + (route.memberScoped() ? "; members their own member, agents their contacts" : ""))
                .content(problem));
    }

}
