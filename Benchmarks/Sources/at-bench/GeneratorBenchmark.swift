// GeneratorBenchmark.swift: time and peak memory to load, lint and generate the seed specs and grown copies of the largest.

import ATGenerator
import ATSpec

/// Settings of the generator benchmarks.
struct GeneratorOptions {
    /// The folder holding the seed specs.
    var specs: String
    /// Timed runs for the seed specs; the median is reported.
    var runs = 10
    /// How many times larger than the largest seed the synthetic specs are, with their timed runs.
    var grown: [(factor: Int, runs: Int)] = [(10, 5), (100, 3)]
}

/// The stages of one generation, in seconds.
struct GenerationTiming {
    var load = 0.0
    var lint = 0.0
    var generate = 0.0
    var total: Double { load + lint + generate }
}

/// One spec to generate: its name and text.
struct SpecInput {
    var name: String
    var file: String
    var bytes: [UInt8]
}

enum GeneratorBenchmark {
    /// Loads, lints and generates `inputs` in turn; returns the timing and, for checking, errors and output size.
    static func generate(_ inputs: [SpecInput]) -> (timing: GenerationTiming, errors: Int, outputBytes: Int, outputLines: Int) {
        var timing = GenerationTiming()
        var errors = 0
        var outputBytes = 0
        var outputLines = 0
        var loadedSpecs: [LoadedSpec] = []
        for input in inputs {
            let (load, loaded) = Stopwatch.time { SpecLoader.load(bytes: input.bytes, file: input.file) }
            timing.load += load
            errors += loaded.diagnostics.filter { $0.severity == .error }.count
            loadedSpecs.append(loaded)
        }
        // A spec that builds on another (`builds_on: ThreeGPP`) is composed with it, as the tool does.
        let byModule = Dictionary(loadedSpecs.compactMap { $0.spec.map { ($0.module.name.value, $0) } }, uniquingKeysWith: { first, _ in first })
        for loaded in loadedSpecs {
            guard var spec = loaded.spec else { continue }
            if let name = spec.buildsOn?.value, let base = byModule[name] {
                let (compose, composed) = Stopwatch.time { SpecComposer.compose(spec, onto: base) }
                timing.load += compose
                errors += composed.diagnostics.filter { $0.severity == .error }.count
                spec = composed.spec
            }
            let (lint, diagnostics) = Stopwatch.time { Linter.lint(spec) }
            timing.lint += lint
            errors += diagnostics.filter { $0.severity == .error }.count
            let (generate, file) = Stopwatch.time { Generator.generate(spec) }
            timing.generate += generate
            outputBytes += file.contents.utf8.count
            outputLines += file.contents.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return (timing, errors, outputBytes, outputLines)
    }

    /// The median of each stage over `runs` runs (after one warm-up), and the peak memory of one more run.
    static func measure(_ inputs: [SpecInput], runs: Int) -> (
        timing: GenerationTiming, best: Double, errors: Int, outputBytes: Int, outputLines: Int, addedKiB: Int, peakKiB: Int
    ) {
        let first = generate(inputs)
        var loads: [Double] = []
        var lints: [Double] = []
        var generates: [Double] = []
        var totals: [Double] = []
        for _ in 0..<max(1, runs) {
            let timing = generate(inputs).timing
            loads.append(timing.load)
            lints.append(timing.lint)
            generates.append(timing.generate)
            totals.append(timing.total)
        }
        let memory = Memory.peak { generate(inputs) }
        var timing = GenerationTiming(load: Statistics.median(loads), lint: Statistics.median(lints), generate: Statistics.median(generates))
        // Report the median total as measured, not the sum of the stage medians.
        let scale = Statistics.median(totals) / max(timing.total, 1e-12)
        timing = GenerationTiming(load: timing.load * scale, lint: timing.lint * scale, generate: timing.generate * scale)
        return (timing, totals.min() ?? 0, first.errors, first.outputBytes, first.outputLines, memory.added, memory.peak)
    }

    static func run(_ options: GeneratorOptions) -> (tables: [Table], ok: Bool) {
        var ok = true
        var seeds: [SpecInput] = []
        for name in ["SIM800", "SIM7672X", "FibocomL610"] {
            let path = options.specs + "/" + name + ".yaml"
            switch FileIO.readFile(path) {
            case .success(let bytes): seeds.append(SpecInput(name: name, file: path, bytes: bytes))
            case .failure(let error):
                Output.line("error: \(error.message)")
                return ([], false)
            }
        }
        var table = Table(
            "Generator: load + lint + generate, release build (medians of runs, and the fastest total; peak = resident memory added during one run)",
            columns: ["spec", "KB", "runs", "load ms", "lint ms", "generate ms", "total ms", "fastest ms", "ms per 100 KB", "peak MiB", "output lines"])
        func row(_ name: String, _ inputs: [SpecInput], runs: Int) {
            let bytes = inputs.reduce(0) { $0 + $1.bytes.count }
            Output.progress("generator: \(name), \(bytes / 1000) KB, \(runs) runs")
            let result = measure(inputs, runs: runs)
            if result.errors > 0 {
                Output.line("error: \(name): \(result.errors) lint errors")
                ok = false
            }
            let ms = { (seconds: Double) in Format.fixed(seconds * 1000, 1) }
            table.add([
                name, Format.fixed(Double(bytes) / 1000, 0), String(runs), ms(result.timing.load), ms(result.timing.lint), ms(result.timing.generate),
                ms(result.timing.total), ms(result.best), Format.fixed(result.timing.total * 1000 / (Double(bytes) / 100_000), 1),
                Format.fixed(Double(result.addedKiB) / 1024, 1), Format.grouped(result.outputLines),
            ])
        }
        for seed in seeds { row(seed.name, [seed], runs: options.runs) }
        row("all three seeds", seeds, runs: options.runs)
        if let largest = seeds.max(by: { $0.bytes.count < $1.bytes.count }) {
            let text = String(decoding: largest.bytes, as: UTF8.self)
            for (factor, runs) in options.grown {
                let grown = Array(SyntheticSpec.grow(text, factor: factor).utf8)
                row("\(largest.name) ×\(factor) (synthetic)", [SpecInput(name: largest.name, file: "\(largest.name)-x\(factor).yaml", bytes: grown)], runs: runs)
            }
        }
        return ([table], ok)
    }
}
