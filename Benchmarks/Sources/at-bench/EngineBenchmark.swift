// EngineBenchmark.swift: the command engine's own cost per command, over the in-memory transport with a scripted modem.

import ATModem
import ATRuntime
import SIM7672X

/// Settings of the engine benchmark.
struct EngineOptions {
    /// Timed commands per case (after a warm-up of a tenth as many).
    var commands = 20_000
}

/// A modem that answers every command line at once, with no time of its own.
enum ScriptedModem {
    /// Answers each command line (up to its CR) on `device` until the pipe closes.
    static func serve(_ device: InMemoryTransport) async {
        var pending: [UInt8] = []
        while let chunk = try? await device.receive() {
            pending += chunk
            while let end = pending.firstIndex(of: 0x0D) {
                let line = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeSubrange(...end)
                let answer = line.hasPrefix("AT+CMQTTSTART") ? "\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n" : "\r\nOK\r\n"
                try? await device.send(Array(answer.utf8))
            }
        }
    }
}

enum EngineBenchmark {
    /// Sends `request` `count` times and returns each round trip in microseconds, or nil after a failure.
    static func roundTrips<Request: ATRequest>(_ engine: ATEngine<SIM7672X>, _ request: Request, count: Int) async -> [Double]? where Request.Module == SIM7672X {
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let start = Stopwatch.now()
            do {
                _ = try await engine.send(request)
            } catch {
                Output.line("error: \(request) failed: \(error)")
                return nil
            }
            samples.append(Double(Stopwatch.now() - start) / 1000)
        }
        return samples
    }

    static func run(_ options: EngineOptions) async -> (tables: [Table], ok: Bool) {
        let (host, device) = InMemoryTransport.pair()
        let engine = ATEngine(module: SIM7672X.self, transport: host)
        let modem = Task { await ScriptedModem.serve(device) }
        let reader = Task { try? await engine.run() }
        var table = Table(
            "Engine round trip over InMemoryTransport (SIM7672X, \(Format.grouped(options.commands)) commands per case, one at a time)",
            columns: ["command", "answer", "p50 µs", "p90 µs", "p99 µs", "max µs", "mean µs", "commands/s"],
            numeric: [false, false, true, true, true, true, true, true])
        var ok = true
        let cases: [(String, String, (Int) async -> [Double]?)] = [
            ("AT+CMQTTSTART", "OK, then +CMQTTSTART: 0", { await roundTrips(engine, SIM7672X.StartService.Execute(), count: $0) }),
            ("AT+CMQTTREL?", "OK", { await roundTrips(engine, SIM7672X.ReleaseClient.Read(), count: $0) }),
        ]
        for (command, answer, measure) in cases {
            Output.progress("engine: \(command)")
            _ = await measure(max(1, options.commands / 10))  // warm-up
            guard let samples = await measure(options.commands) else {
                ok = false
                continue
            }
            let mean = samples.reduce(0, +) / Double(samples.count)
            table.add([
                command, answer, Format.fixed(Statistics.percentile(samples, 50), 1), Format.fixed(Statistics.percentile(samples, 90), 1),
                Format.fixed(Statistics.percentile(samples, 99), 1), Format.fixed(samples.max() ?? 0, 0), Format.fixed(mean, 1),
                Format.fixed(1_000_000 / mean, 0),
            ])
        }
        reader.cancel()
        await host.close()
        _ = await reader.value
        _ = await modem.value
        return ([table], ok)
    }
}
