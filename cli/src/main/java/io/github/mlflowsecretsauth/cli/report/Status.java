package io.github.mlflowsecretsauth.cli.report;

/** The outcome of one check, with its symbol in text reports. */
public enum Status {
    OK("✅"), WARN("⚠️ "), FAIL("❌"), INFO("ℹ️ "), SKIP("⏭️ ");

    private final String symbol;

    Status(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
