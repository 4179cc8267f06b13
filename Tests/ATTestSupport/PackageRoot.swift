// PackageRoot.swift: where the package's files are, for tests that read specs, fixtures and the README.

/// The package root, from this file's path (`Tests/ATTestSupport/PackageRoot.swift`).
public enum PackageRoot {
    public static let path: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
}
