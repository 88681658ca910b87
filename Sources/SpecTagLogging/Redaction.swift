// MARK: - Secret redaction

/// Text that replaces a secret value in configuration dumps and logs.
public let redactedPlaceholder = "[REDACTED]"

/// Returns whether a configuration key names a secret, such as `sasl.password`,
/// `ssl.key.password`, `ssl.keystore.password`, `sasl.oauthbearer.client.secret`,
/// `SPECTAG_API_TOKEN` or `sasl.jaas.config`.
///
/// The check ignores case and treats `_` and `-` like `.`. A key is secret when it contains one
/// of: `password`, `passwd`, `passphrase`, `secret`, `token`, `credential`, `authorization`,
/// `cookie`, `api.key`, `apikey`, `private.key`, `privatekey`, `ssl.key.pem`, `jaas.config`
/// or `oauthbearer.config`. The last three are librdkafka keys whose values contain a private
/// key or a password.
public func isSecretConfigurationKey(_ key: String) -> Bool {
    var normalized = key.lowercased()
    normalized = String(normalized.map { $0 == "_" || $0 == "-" ? "." : $0 })
    return secretKeyFragments.contains { normalized.contains($0) }
}

private let secretKeyFragments = [
    "password", "passwd", "passphrase", "secret", "token", "credential", "authorization", "cookie",
    "api.key", "apikey", "private.key", "privatekey", "ssl.key.pem", "jaas.config", "oauthbearer.config",
]

/// Returns `value`, or ``redactedPlaceholder`` when `key` names a secret.
///
/// An empty secret stays empty, so a dump still shows that the setting is unset.
/// - Important: only the key is checked. A secret inside a value of a harmless key, such as a
///   password in a URL, is not found.
public func redact(key: String, value: String) -> String {
    guard !value.isEmpty, isSecretConfigurationKey(key) else { return value }
    return redactedPlaceholder
}

/// Returns `configuration` with every secret value replaced; see ``redact(key:value:)``.
public func redact(configuration: [String: String]) -> [String: String] {
    var redacted = configuration
    for (key, value) in configuration {
        redacted[key] = redact(key: key, value: value)
    }
    return redacted
}
