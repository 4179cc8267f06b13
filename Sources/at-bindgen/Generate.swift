// Generate.swift: `at-bindgen generate`: lints specs, then writes their Swift bindings.

import ATGenerator
import ATSpec
import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate Swift bindings from spec files.",
        discussion: "Specs are linted first; a spec with errors is not generated. One file per spec, <output>/<Module>/<Module>.swift, written only when its content changed."
    )

    @Argument(help: "Spec files or folders of specs.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "The folder to write into.")
    var output: String

    @Flag(help: "Print how long loading, linting and generating took.")
    var timing = false

    func run() throws {
        let files = try SpecFiles.collect(paths)
        var failed = false
        var written = 0
        var timings: [String] = []
        let start = Stopwatch.now()
        for file in files {
            let fileStart = Stopwatch.now()
            let result = Linter.lint(path: file)
            for diagnostic in result.diagnostics { StandardError.print(diagnostic.description) }
            guard let spec = result.spec, !result.diagnostics.contains(where: { $0.severity == .error }) else {
                failed = true
                continue
            }
            let generated = Generator.generate(spec)
            let target = output + "/" + generated.path
            let folder = String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)])
            try Folders.create(folder)
            switch FileIO.writeFileIfChanged(Array(generated.contents.utf8), to: target) {
            case .success(let changed): if changed { written += 1 }
            case .failure(let error): throw ValidationError(error.message)
            }
            timings.append("\(file): \(Stopwatch.milliseconds(since: fileStart)) ms")
        }
        if timing {
            for line in timings { StandardError.print(line) }
            StandardError.print("total: \(Stopwatch.milliseconds(since: start)) ms for \(files.count) specs")
        }
        StandardError.print("\(files.count) spec\(files.count == 1 ? "" : "s") read, \(written) file\(written == 1 ? "" : "s") written")
        if failed { throw ExitCode(1) }
    }
}

enum Folders {
    static func create(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw ValidationError("cannot create folder \(current): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Wall time for --timing, from the monotonic clock.
enum Stopwatch {
    static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time
    }

    static func milliseconds(since start: timespec) -> String {
        let end = now()
        let nanos = (Int(end.tv_sec) - Int(start.tv_sec)) * 1_000_000_000 + (Int(end.tv_nsec) - Int(start.tv_nsec))
        let tenths = nanos / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
