// SpecLoader.swift: the loader's entry point: file or text in, spec model and diagnostics out.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What loading a spec produced: the model (when the file could be read far
/// enough to build one) and every diagnostic found on the way.
public struct LoadedSpec: Sendable {
    /// The spec model, or nil when the file is not a spec at all.
    public var spec: Spec?
    /// Diagnostics from YAML parsing and the spec's shape.
    public var diagnostics: [Diagnostic]
}

/// Loads spec files through libyaml into the spec model.
public enum SpecLoader {
    /// Loads the spec in `text`, naming it `file` in diagnostics.
    public static func load(text: String, file: String, limits: YAMLLoader.Limits = .init()) -> LoadedSpec {
        load(bytes: Array(text.utf8), file: file, limits: limits)
    }

    /// Loads the spec in `bytes`, naming it `file` in diagnostics.
    public static func load(bytes: [UInt8], file: String, limits: YAMLLoader.Limits = .init()) -> LoadedSpec {
        let yaml = YAMLLoader(limits: limits).load(bytes, file: file)
        var diagnostics = yaml.diagnostics
        guard let root = yaml.root, !diagnostics.contains(where: { $0.rule == "yaml-syntax" || $0.rule == "yaml-limit" }) else {
            if yaml.root == nil, diagnostics.isEmpty {
                diagnostics.append(Diagnostic(file: file, location: SourceLocation(line: 1, column: 1), severity: .error, rule: "missing-key", message: "the file is empty; a spec needs at least 'spec', 'module', 'documents', 'final_results' and 'commands'"))
            }
            return LoadedSpec(spec: nil, diagnostics: diagnostics)
        }
        var decoder = SpecDecoder(file: file, bytes: bytes)
        let spec = decoder.decode(root)
        diagnostics += decoder.sink.diagnostics
        return LoadedSpec(spec: spec, diagnostics: diagnostics)
    }

    /// Loads the spec file at `path`.
    public static func load(path: String, limits: YAMLLoader.Limits = .init()) -> LoadedSpec {
        switch FileIO.readFile(path, limit: limits.maxBytes) {
        case .success(let bytes):
            return load(bytes: bytes, file: path, limits: limits)
        case .failure(let error):
            return LoadedSpec(spec: nil, diagnostics: [Diagnostic(file: path, location: SourceLocation(line: 1, column: 1), severity: .error, rule: "io", message: error.message)])
        }
    }
}

/// Why a file could not be read or written.
public struct FileIOError: Error, Sendable {
    /// What went wrong.
    public var message: String
}

/// Plain POSIX file access, so the tool needs nothing beyond the C library.
public enum FileIO {
    /// Reads a whole file, failing when it holds more than `limit` bytes.
    public static func readFile(_ path: String, limit: Int = Int.max) -> Result<[UInt8], FileIOError> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(FileIOError(message: "cannot open \(path): \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(FileIOError(message: "cannot read \(path): \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit {
                return .success(bytes)  // the YAML loader reports the size with a position
            }
        }
        return .success(bytes)
    }

    /// Writes `bytes` to `path` unless the file already holds exactly them; returns true when it wrote.
    @discardableResult
    public static func writeFileIfChanged(_ bytes: [UInt8], to path: String) -> Result<Bool, FileIOError> {
        if case .success(let existing) = readFile(path), existing == bytes { return .success(false) }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return .failure(FileIOError(message: "cannot create \(temporary): \(String(cString: strerror(errno)))")) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                close(fd)
                unlink(temporary)
                return .failure(FileIOError(message: "cannot write \(temporary): \(String(cString: strerror(errno)))"))
            }
            written += count
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            return .failure(FileIOError(message: "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))"))
        }
        return .success(true)
    }

    /// Files under `path` (or `path` itself) whose names end in one of `extensions`, sorted.
    public static func listFiles(at path: String, extensions: [String]) -> Result<[String], FileIOError> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(FileIOError(message: "no such file or folder: \(path)")) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return .success([path]) }
        var found: [String] = []
        var pending = [path]
        while let folder = pending.popLast() {
            guard let dir = opendir(folder) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let child = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                var childInfo = stat()
                guard stat(child, &childInfo) == 0 else { continue }
                if (childInfo.st_mode & S_IFMT) == S_IFDIR {
                    pending.append(child)
                } else if extensions.contains(where: { name.hasSuffix($0) }) {
                    found.append(child)
                }
            }
        }
        return .success(found.sorted())
    }
}

extension SpecLoader {
    /// The file of the spec whose module is `name`: `<name>.yaml` or `<name>.atspec.yaml` in the
    /// folder of `file` or in one of `searchPaths`, in that order.
    public static func baseFile(named name: String, near file: String, searchPaths: [String]) -> String? {
        let folder = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
        for directory in [folder] + searchPaths {
            for candidate in [name + ".yaml", name + ".atspec.yaml"] {
                let path = (directory.hasSuffix("/") ? directory : directory + "/") + candidate
                if access(path, R_OK) == 0 { return path }
            }
        }
        return nil
    }

    /// Loads the spec at `path` and, when it builds on another (`builds_on`), that one too (found
    /// by ``baseFile(named:near:searchPaths:)``), and composes them (``SpecComposer``). A base that
    /// cannot be found, does not load without errors, or builds on the spec itself is an error at
    /// the spec's `builds_on`; the composed spec holds its base in ``Spec/bases``.
    public static func loadComposed(path: String, searchPaths: [String] = [], limits: YAMLLoader.Limits = .init()) -> LoadedSpec {
        loadComposed(path: path, searchPaths: searchPaths, limits: limits, visiting: [])
    }

    /// Loads the spec in `text` (named `file`, whose folder is searched first) composed with the
    /// spec it builds on, as ``loadComposed(path:searchPaths:limits:)`` does.
    public static func loadComposed(text: String, file: String, searchPaths: [String] = [], limits: YAMLLoader.Limits = .init()) -> LoadedSpec {
        compose(load(text: text, file: file, limits: limits), path: file, searchPaths: searchPaths, limits: limits, visiting: [])
    }

    private static func loadComposed(path: String, searchPaths: [String], limits: YAMLLoader.Limits, visiting: [String]) -> LoadedSpec {
        compose(load(path: path, limits: limits), path: path, searchPaths: searchPaths, limits: limits, visiting: visiting)
    }

    private static func compose(_ loaded: LoadedSpec, path: String, searchPaths: [String], limits: YAMLLoader.Limits, visiting: [String]) -> LoadedSpec {
        guard let spec = loaded.spec, let buildsOn = spec.buildsOn else { return loaded }
        func failed(_ message: String, rule: String) -> LoadedSpec {
            var loaded = loaded
            loaded.diagnostics.append(Diagnostic(file: path, location: buildsOn.location, severity: .error, rule: rule, message: message))
            return loaded
        }
        guard !visiting.contains(buildsOn.value), buildsOn.value != spec.module.name.value else {
            return failed("builds_on: \(buildsOn.value) makes a cycle (\((visiting + [spec.module.name.value, buildsOn.value]).joined(separator: " → ")))", rule: "unknown-base")
        }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        guard let basePath = baseFile(named: buildsOn.value, near: path, searchPaths: searchPaths) else {
            return failed("builds_on: no spec of module \(buildsOn.value) found (looked for \(buildsOn.value).yaml and \(buildsOn.value).atspec.yaml in \(([folder] + searchPaths).joined(separator: ", ")))", rule: "unknown-base")
        }
        let base = loadComposed(path: basePath, searchPaths: searchPaths, limits: limits, visiting: visiting + [spec.module.name.value])
        guard let baseSpec = base.spec, !base.diagnostics.contains(where: { $0.severity == .error }) else {
            let count = base.diagnostics.filter { $0.severity == .error }.count
            return failed("builds_on: the base spec \(basePath) does not load (\(count) error\(count == 1 ? "" : "s")); lint it first", rule: "base-has-errors")
        }
        guard baseSpec.module.name.value == buildsOn.value else {
            return failed("builds_on: \(basePath) is the spec of module \(baseSpec.module.name.value), not \(buildsOn.value)", rule: "unknown-base")
        }
        let (composed, diagnostics) = SpecComposer.compose(spec, onto: baseSpec)
        var result = loaded
        result.spec = composed
        result.diagnostics += diagnostics
        return result
    }
}
