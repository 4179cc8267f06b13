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
        var decoder = ATDecoder(module: workload.module)
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
        var decoder = ATDecoder(module: workload.module)
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

    /// Runs every stage on every stream; returns the tables and whether every result was right.
    static func run(_ options: RuntimeOptions) -> (tables: [Table], ok: Bool) {
        var ok = true
        var tables: [Table] = []
        var summary = Table(
            "Summary: typed URCs vs the hand-written baseline (\(Format.grouped(options.messages)) URCs per stream, \(options.chunk)-byte feeds, fastest of \(options.runs) rounds)",
            columns: ["stream", "MB", "typed URCs MB/s", "typed URCs/s", "baseline MB/s", "× baseline", "scan MB/s", "mallocs/typed URC"])
        for workload in Workloads.all(count: options.messages) {
            let megabytes = Double(workload.bytes.count) / 1_000_000
            Output.progress("runtime: \(workload.name)")
            let chunk = options.chunk
            let results = measure(
                runs: options.runs,
                [
                    { Self.scan(workload) }, { Self.framer(workload, chunk: chunk) }, { Self.decoder(workload, chunk: chunk) },
                    { Self.decodeTyped(workload, chunk: chunk) }, { Self.baseline(workload) },
                ])
            let (scan, framer, decoder, typed, baseline) = (results[0], results[1], results[2], results[3], results[4])
            for (stage, result) in [("typed", typed), ("baseline", baseline)] where result.urcs != workload.messages || result.checksum != workload.expected {
                Output.line("error: \(workload.name): \(stage) decoded \(result.urcs) URCs (checksum \(result.checksum)), expected \(workload.messages) (checksum \(workload.expected))")
                ok = false
            }
            if decoder.urcs != workload.messages {
                Output.line("error: \(workload.name): decoder reported \(decoder.urcs) URCs, expected \(workload.messages)")
                ok = false
            }
            var table = Table(
                "\(workload.name): \(Format.fixed(megabytes, 2)) MB, \(Format.grouped(workload.messages)) URCs",
                columns: ["stage", "MB/s", "events/s", "URCs/s", "mallocs/event", "mallocs/URC", "× baseline"])
            func row(_ stage: String, _ result: StageResult, perURC: Bool) {
                let rate = megabytes / result.seconds
                table.add([
                    stage, Format.short(rate),
                    result.events > 0 ? Format.fixed(Double(result.events) / result.seconds, 0) : "-",
                    perURC ? Format.fixed(Double(result.urcs) / result.seconds, 0) : "-",
                    result.events > 0 ? Format.fixed(Double(result.mallocs) / Double(result.events), 2) : "-",
                    perURC ? Format.fixed(Double(result.mallocs) / Double(max(1, result.urcs)), 2) : "-",
                    Format.fixed(baseline.seconds / result.seconds, 1),
                ])
            }
            row("byte scan (ceiling)", StageResult(seconds: scan.seconds, events: 0, urcs: 0, mallocs: scan.mallocs, checksum: 0), perURC: false)
            row("framer (frame events)", framer, perURC: false)
            row("decoder (decoded events)", decoder, perURC: true)
            row("decoder + typed URCs", typed, perURC: true)
            row("hand-written baseline", baseline, perURC: true)
            tables.append(table)
            summary.add([
                workload.name, Format.fixed(megabytes, 1), Format.short(megabytes / typed.seconds), Format.fixed(Double(typed.urcs) / typed.seconds, 0),
                Format.short(megabytes / baseline.seconds), Format.fixed(baseline.seconds / typed.seconds, 1), Format.short(megabytes / scan.seconds),
                Format.fixed(Double(typed.mallocs) / Double(max(1, typed.urcs)), 2),
            ])
        }
        tables.insert(summary, at: 0)
        return (tables, ok)
    }
}
