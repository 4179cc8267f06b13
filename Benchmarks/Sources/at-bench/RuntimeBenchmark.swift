// RuntimeBenchmark.swift: framer and URC decoding throughput, allocations per event, against the baselines.

import ATRuntime

/// Settings of the runtime benchmarks.
struct RuntimeOptions {
    /// URCs per stream.
    var messages = 100_000
    /// Timed rounds; each stage's fastest run is reported.
    var runs = 7
    /// Bytes per `feed` call, like one read from a serial port.
    var chunk = 4096
}

/// What one stage did with one stream.
struct StageResult {
    var seconds: Double
    var events: Int
    var urcs: Int
    var mallocs: Int
    var checksum: UInt64
}

enum RuntimeBenchmark {
    /// Feeds `bytes` in slices of `chunk` bytes.
    static func chunks(_ bytes: [UInt8], _ chunk: Int, _ body: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            body(bytes[start..<end])
            start = end
        }
    }

    /// Runs every stage once as a warm-up, then `runs` rounds of every stage in turn (so a
    /// change in the machine's load affects all stages alike), keeping each stage's fastest
    /// run; then counts each stage's allocations in one more run.
    static func measure(runs: Int, _ stages: [() -> (events: Int, urcs: Int, checksum: UInt64)]) -> [StageResult] {
        var results = stages.map { stage -> StageResult in
            let result = stage()
            return StageResult(seconds: .infinity, events: result.events, urcs: result.urcs, mallocs: 0, checksum: result.checksum)
        }
        for _ in 0..<max(1, runs) {
            for (index, stage) in stages.enumerated() {
                let (seconds, _) = Stopwatch.time(stage)
                results[index].seconds = min(results[index].seconds, seconds)
            }
        }
        for (index, stage) in stages.enumerated() {
            results[index].mallocs = Allocations.count(stage).mallocs
        }
        return results
    }

    static func scan(_ workload: Workload) -> (events: Int, urcs: Int, checksum: UInt64) {
        let lines = Baselines.scan(workload.bytes)
        return (lines, 0, UInt64(lines))
    }

    static func framer(_ workload: Workload, chunk: Int) -> (events: Int, urcs: Int, checksum: UInt64) {
        var framer = Framer(configuration: FramerConfiguration(dataRules: ATDecoder.dataRules(workload.module)))
        var frames: [FrameEvent] = []
        var count = 0
        chunks(workload.bytes, chunk) { chunk in
            framer.feed(chunk, into: &frames)
            count += frames.count
            frames.removeAll(keepingCapacity: true)
        }
        return (count, 0, 0)
    }

    static func decoder(_ workload: Workload, chunk: Int) -> (events: Int, urcs: Int, checksum: UInt64) {
        var decoder = workload.decoder
        var events = 0
        var urcs = 0
        chunks(workload.bytes, chunk) { chunk in
            for event in decoder.feed(chunk) {
                events += 1
                if case .urc = event { urcs += 1 }
            }
        }
        return (events, urcs, 0)
    }

    /// Decodes the stream and types every URC: the path an application takes.
    static func decodeTyped(_ workload: Workload, chunk: Int) -> (events: Int, urcs: Int, checksum: UInt64) {
        var decoder = workload.decoder
        var events = 0
        var typed = 0
        var checksum: UInt64 = 0
        chunks(workload.bytes, chunk) { chunk in
            for event in decoder.feed(chunk) {
                events += 1
                if case .urc(let match, _) = event, let sum = workload.typed(match) {
                    typed += 1
                    checksum &+= sum
                }
            }
        }
        return (events, typed, checksum)
    }

    static func baseline(_ workload: Workload) -> (events: Int, urcs: Int, checksum: UInt64) {
        let (count, checksum) = workload.baseline(workload.bytes)
        return (count, count, checksum)
    }

    static func careful(_ workload: Workload) -> (events: Int, urcs: Int, checksum: UInt64) {
        let (count, checksum) = workload.careful(workload.bytes)
        return (count, count, checksum)
    }

    static func c(_ workload: Workload) -> (events: Int, urcs: Int, checksum: UInt64) {
        let (count, checksum) = workload.c(workload.bytes)
        return (count, count, checksum)
    }

    static func generated(_ workload: Workload, chunk: Int) -> (events: Int, urcs: Int, checksum: UInt64) {
        workload.generated(workload.bytes, chunk)
    }

    /// Runs every stage on every stream; returns the tables and whether every result was right.
    static func run(_ options: RuntimeOptions) -> (tables: [Table], ok: Bool) {
        var ok = true
        var tables: [Table] = []
        var summary = Table(
            "Summary: typed URCs, generated parsers vs hand-written parsers (\(Format.grouped(options.messages)) URCs per stream; the project in \(options.chunk)-byte feeds, the hand-written parsers on the whole buffer; fastest of \(options.runs) rounds)",
            columns: [
                "stream", "MB", "generated MB/s", "C MB/s", "careful Swift MB/s", "interpreted MB/s", "naive Swift MB/s", "generated time ÷ C",
                "mallocs/URC generated", "mallocs/URC interpreted",
            ])
        for workload in Workloads.all(count: options.messages) {
            let megabytes = Double(workload.bytes.count) / 1_000_000
            Output.progress("runtime: \(workload.name)")
            let chunk = options.chunk
            let stages: [(String, Bool, () -> (events: Int, urcs: Int, checksum: UInt64))] = [
                ("byte scan (ceiling)", false, { Self.scan(workload) }),
                ("framer (frame events)", false, { Self.framer(workload, chunk: chunk) }),
                ("interpreting decoder (decoded events)", true, { Self.decoder(workload, chunk: chunk) }),
                ("interpreting decoder + typed URCs", true, { Self.decodeTyped(workload, chunk: chunk) }),
                ("generated parsers (ATTypedDecoder)", true, { Self.generated(workload, chunk: chunk) }),
                ("hand-written C (memchr, no allocation)", true, { Self.c(workload) }),
                ("careful Swift (unsafe buffers, memchr)", true, { Self.careful(workload) }),
                ("naive Swift (String split)", true, { Self.baseline(workload) }),
            ]
            let results = measure(runs: options.runs, stages.map(\.2))
            for index in 3..<stages.count where results[index].urcs != workload.messages || results[index].checksum != workload.expected {
                Output.line("error: \(workload.name): \(stages[index].0) decoded \(results[index].urcs) URCs (checksum \(results[index].checksum)), expected \(workload.messages) (checksum \(workload.expected))")
                ok = false
            }
            if results[2].urcs != workload.messages {
                Output.line("error: \(workload.name): decoder reported \(results[2].urcs) URCs, expected \(workload.messages)")
                ok = false
            }
            let cTime = results[5].seconds
            var table = Table(
                "\(workload.name): \(Format.fixed(megabytes, 2)) MB, \(Format.grouped(workload.messages)) URCs",
                columns: ["stage", "MB/s", "events/s", "URCs/s", "mallocs/event", "mallocs/URC", "time ÷ C"])
            for (index, stage) in stages.enumerated() {
                let result = results[index]
                let perURC = stage.1
                table.add([
                    stage.0, Format.short(megabytes / result.seconds),
                    result.events > 0 ? Format.fixed(Double(result.events) / result.seconds, 0) : "-",
                    perURC ? Format.fixed(Double(result.urcs) / result.seconds, 0) : "-",
                    result.events > 0 ? Format.fixed(Double(result.mallocs) / Double(result.events), 2) : "-",
                    perURC ? Format.fixed(Double(result.mallocs) / Double(max(1, result.urcs)), 2) : "-",
                    Format.fixed(result.seconds / cTime, 1),
                ])
            }
            tables.append(table)
            let (typed, generated, c, careful, naive) = (results[3], results[4], results[5], results[6], results[7])
            summary.add([
                workload.name, Format.fixed(megabytes, 1), Format.short(megabytes / generated.seconds), Format.short(megabytes / c.seconds),
                Format.short(megabytes / careful.seconds), Format.short(megabytes / typed.seconds), Format.short(megabytes / naive.seconds),
                Format.fixed(generated.seconds / c.seconds, 1),
                Format.fixed(Double(generated.mallocs) / Double(max(1, generated.urcs)), 2), Format.fixed(Double(typed.mallocs) / Double(max(1, typed.urcs)), 2),
            ])
        }
        tables.insert(summary, at: 0)
        return (tables, ok)
    }
}
