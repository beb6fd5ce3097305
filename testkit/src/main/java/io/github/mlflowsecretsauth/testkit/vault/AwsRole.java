package io.github.mlflowsecretsauth.testkit.vault;

import java.util.List;
import java.util.Objects;

/**
 * A role of the testkit Vault's {@code aws} auth method with {@code auth_type=iam}: the IAM principals whose
 * {@code sts:GetCallerIdentity} may log in as it, and the spec of the Vault token a login issues. As in Vault, an
 * assumed-role caller ({@code arn:aws:sts::<account>:assumed-role/<name>/<session>}) is matched as its role
 * ({@code arn:aws:iam::<account>:role/<name>}); a bound ARN ending in {@code *} is a prefix. Immutable.
 *
 * @param name                  the role's name ({@code role} in the login body)
 * @param boundIamPrincipalArns {@code bound_iam_principal_arn}: user or role ARNs allowed to log in
 * @param tokenSpec             the Vault token a login issues
 */
public record AwsRole(String name, List<String> boundIamPrincipalArns, TokenSpec tokenSpec) {

    /** Copies the list. */
    public AwsRole {
        Objects.requireNonNull(name, "name");
        boundIamPrincipalArns = List.copyOf(boundIamPrincipalArns);
        Objects.requireNonNull(tokenSpec, "tokenSpec");
    }

    /** Whether the caller's ARN (as STS reports it) is bound to this role. */
    boolean binds(String callerArn) {
        String canonical = canonical(callerArn);
        for (String bound : boundIamPrincipalArns) {
            if (bound.endsWith("*") ? canonical.startsWith(bound.substring(0, bound.length() - 1)) : canonical.equals(bound)) {
                return true;
            }
        }
        return false;
    }

    /** {@code arn:aws:sts::A:assumed-role/R/S} becomes {@code arn:aws:iam::A:role/R}; other ARNs stay. */
    static String canonical(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length == 6 && parts[2].equals("sts") && parts[5].startsWith("assumed-role/")) {
            String[] path = parts[5].split("/");
            return "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + path[1];
        }
        return arn;
    }
}
