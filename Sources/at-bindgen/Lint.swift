// Lint.swift: `at-bindgen lint`: checks spec files and prints positioned diagnostics.

import ArgumentParser
import ATSpec

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check spec files; print diagnostics as path:line:column: error|warning: message.",
        discussion: "Exits with status 1 when any spec has an error. Folders are searched for .yaml and .yml files."
    )

    @Argument(help: "Spec files or folders of specs.")
    var paths: [String]

    @Option(name: .customLong("base-path"), help: "A folder to look in for the spec named by a spec's builds_on (repeated), after the spec's own folder.")
    var basePaths: [String] = []

    @Flag(help: "Treat warnings as errors.")
    var warningsAsErrors = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Name at least one spec file or folder.") }
    }

    func run() throws {
        let files = try SpecFiles.collect(paths)
        var errors = 0
        var warnings = 0
        for file in files {
            let result = Linter.lint(path: file, searchPaths: basePaths)
            for diagnostic in result.diagnostics {
                StandardError.print(diagnostic.description)
                if diagnostic.severity == .error || warningsAsErrors { errors += 1 } else { warnings += 1 }
            }
        }
        StandardError.print("\(files.count) spec\(files.count == 1 ? "" : "s") linted: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        if errors > 0 { throw ExitCode(1) }
    }
}

/// Finds spec files in the paths a user names.
enum SpecFiles {
    static func collect(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            switch FileIO.listFiles(at: path, extensions: [".yaml", ".yml"]) {
            case .success(let found): files += found
            case .failure(let error): throw ValidationError(error.message)
            }
        }
        if files.isEmpty { throw ValidationError("No .yaml or .yml spec files in \(paths.joined(separator: ", ")).") }
        return files
    }
}

/// Writes lines to standard error.
enum StandardError {
    static func print(_ line: String) {
        Output.write(line + "\n", to: 2)
    }
}

/// Writes whole strings to a file descriptor.
enum Output {
    static func write(_ text: String, to fd: Int32) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { POSIX.writeBytes(fd, $0) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return }
            written += count
        }
    }
}
