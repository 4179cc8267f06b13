// SpecFuzzCheck.swift: the spec pipeline's fuzz property: any bytes load and lint to positioned diagnostics, never a crash.
//
// One file for two users: the libFuzzer harness (Fuzz/Sources/FuzzSpec links to it) and
// the corpus replay test, so an input the fuzzer saved is replayed with the same checks.

import ATRuntime
import ATSpec

/// Runs the loader, the linter, the descriptor builder and a decoder built from that
/// descriptor (fed the spec's own examples) on arbitrary bytes.
enum SpecFuzz {
    /// The number of lines as YAML counts them: LF, CR LF, a lone CR, NEL, LS and PS end a line.
    static func lineCount(_ input: [UInt8]) -> Int {
        var lines = 1
        var index = 0
        while index < input.count {
            switch input[index] {
            case 0x0A: lines += 1
            case 0x0D where index + 1 >= input.count || input[index + 1] != 0x0A: lines += 1
            case 0xC2 where index + 1 < input.count && input[index + 1] == 0x85: lines += 1
            case 0xE2 where index + 2 < input.count && input[index + 1] == 0x80 && (input[index + 2] == 0xA8 || input[index + 2] == 0xA9):
                lines += 1
            default: break
            }
            index += 1
        }
        return lines
    }

    /// Checks the pipeline on `input`: a file that yields no spec says why; every diagnostic
    /// points into the file (line and column from 1, line at most one past the last); a spec's
    /// examples decode under the descriptor built from it. Nil when all hold.
    static func check(_ input: [UInt8]) -> String? {
        let loaded = SpecLoader.load(bytes: input, file: "fuzz.yaml")
        var diagnostics = loaded.diagnostics
        if let spec = loaded.spec {
            diagnostics += Linter.lint(spec)
            let module = DescriptorBuilder.build(spec)
            for example in spec.examples {
                var decoder = ATDecoder(module: module, maxLineLength: 512, maxDataLength: 512)
                var bytes: [UInt8] = []
                for line in example.lines { bytes += example.bytes(of: line) + [0x0D, 0x0A] }
                _ = decoder.feed(bytes)
                if decoder.bufferedByteCount > 1024 { return "decoder buffered \(decoder.bufferedByteCount) bytes" }
            }
        } else if diagnostics.isEmpty {
            return "no spec and no diagnostic"
        }
        let lines = lineCount(input)
        for diagnostic in diagnostics {
            let location = diagnostic.location
            if location.line < 1 || location.column < 1 || location.line > lines + 1 {
                return "diagnostic outside the file (\(lines) lines): \(diagnostic)"
            }
        }
        return nil
    }
}
