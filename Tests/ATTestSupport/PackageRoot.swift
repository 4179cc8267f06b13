// PackageRoot.swift: where the package's files are, for tests that read specs, fixtures and the README.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The package root, from this file's path (`Tests/ATTestSupport/PackageRoot.swift`).
public enum PackageRoot {
    public static let path: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
}

/// The specs of the package, found in `Specs/` (no test lists them by hand).
public enum SpecFolder {
    /// The base names of `Specs/*.yaml`, sorted (`FibocomL610`, `SIM7672X`, `SIM800`).
    public static let names: [String] = {
        let folder = PackageRoot.path + "/Specs"
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".yaml") { names.append(String(name.dropLast(5))) }
        }
        return names.sorted()
    }()
}
