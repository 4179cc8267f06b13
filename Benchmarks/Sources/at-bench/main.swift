// main.swift: the benchmark driver: `at-bench [runtime] [generator] [engine] [--quick]` prints Markdown tables.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let quick = arguments.contains("--quick")
var sections = arguments.filter { !$0.hasPrefix("--") }
if sections.isEmpty { sections = ["runtime", "generator", "engine"] }
let known = ["runtime", "generator", "engine", "profile"]
if let unknown = sections.first(where: { !known.contains($0) }) {
    Output.line("error: unknown section '\(unknown)'; use runtime, generator, engine and --quick")
    exit(2)
}

Output.line(Machine.describe())
if !Allocations.working { Output.line("note: the malloc interposer is not active; allocation counts read 0") }
var ok = true

if sections.contains("runtime") {
    var options = RuntimeOptions()
    if quick {
        options.messages = 10_000
        options.runs = 3
    }
    Output.line("## Runtime throughput\n")
    let (tables, passed) = RuntimeBenchmark.run(options)
    for table in tables { Output.line(table.render()) }
    ok = ok && passed
}

if sections.contains("generator") {
    let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/")
    }()
    var options = GeneratorOptions(specs: root + "/Specs")
    if quick {
        options.runs = 3
        options.grown = [(10, 2), (100, 1)]
    }
    Output.line("## Generator\n")
    let (tables, passed) = GeneratorBenchmark.run(options)
    for table in tables { Output.line(table.render()) }
    ok = ok && passed
}

if sections.contains("engine") {
    var options = EngineOptions()
    if quick { options.commands = 2_000 }
    Output.line("## Engine round trip\n")
    let (tables, passed) = await EngineBenchmark.run(options)
    for table in tables { Output.line(table.render()) }
    ok = ok && passed
}

if sections.contains("profile") {
    // One pass of typed decoding per stream and nothing else, for `valgrind --tool=callgrind`.
    let stream = arguments.first { $0.hasPrefix("--stream=") }.map { String($0.dropFirst(9)) } ?? ""
    let count = quick ? 10_000 : 100_000
    let builders: [(String, () -> Workload)] = [
        ("CMQTTRX", { Workloads.cmqttrx(count: count, payload: 60) }), ("SMPUBLISH", { Workloads.smpublish(count: count, payload: 60) }),
        ("MQTTMSG", { Workloads.mqttmsg(count: count, payload: 60) }), ("CONNLOST", { Workloads.connectionLost(count: count) }),
    ]
    // --parser=generated|interpreted|c|swift|naive|none (none: only build the stream, for the difference).
    let parser = arguments.first { $0.hasPrefix("--parser=") }.map { String($0.dropFirst(9)) } ?? "interpreted"
    for (name, build) in builders where stream.isEmpty || name == stream {
        let workload = build()
        let chunk = RuntimeOptions().chunk
        let urcs: Int
        switch parser {
        case "none": urcs = 0
        case "generated": urcs = RuntimeBenchmark.generated(workload, chunk: chunk).urcs
        case "c": urcs = workload.c(workload.bytes).count
        case "swift": urcs = workload.careful(workload.bytes).count
        case "naive": urcs = workload.baseline(workload.bytes).count
        case "interpreted": urcs = RuntimeBenchmark.decodeTyped(workload, chunk: chunk).urcs
        default:
            Output.line("error: unknown parser '\(parser)'; use generated, interpreted, c, swift, naive or none")
            exit(2)
        }
        Output.line("\(workload.name): \(workload.bytes.count) bytes, \(urcs) URCs by \(parser)")
    }
}

exit(ok ? 0 : 1)
