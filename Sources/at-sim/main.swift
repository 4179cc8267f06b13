// main.swift: at-sim, a virtual modem from a spec: `at-sim --spec Specs/SIM7672X.yaml --pty ./ttyV0`.

import ATModem
import ATSimulator
import ATSpec

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let usage = """
    usage: at-sim --spec <spec.yaml> [--base-path <folder>]... (--pty <link> | --listen tcp://<address>:<port>)
                  [--broker mqtt://<host>:<port>] [--quiet]
      --pty <link>      opens a pseudo-terminal and links <link> to its terminal end
      --listen <url>    answers one TCP connection at a time on an IPv4 address and port (0: any free one)
      --broker <url>    the MQTT broker every connection of the module goes to, whatever host the
                        commands name (without it: the host and port the commands name)
    what real firmware does, on request:
      --result-order before|after   a deferred result the spec lets come either way goes before or after the final result
      --line-ending crlf|lf|crcrlf  the line ending of every answer
      --data-echo                   the data after a prompt is echoed on a line of its own
      --latency <ms>                each answer waits this long
      --urc-noise                   a URC of the spec's examples between each echo and its answer
      --reboot-after <n>            after n commands the module reboots: --reboot-banner (RDY), echo on again
    """

/// Writes a line to standard error.
func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// Writes a line to standard output at once, unbuffered: the ready line and each exchange reach a pipe as they happen.
@Sendable func printLine(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    printError("at-sim: \(message)")
    exit(2)
}

var specPath: String?
var basePaths: [String] = []
var ptyLink: String?
var listen: String?
var quiet = false
var behaviour = SimulatorBehaviour()
var broker = SimulatorBroker()
var rest = CommandLine.arguments.dropFirst()[...]
while let argument = rest.popFirst() {
    switch argument {
    case "--spec": specPath = rest.popFirst()
    case "--base-path": if let path = rest.popFirst() { basePaths.append(path) }
    case "--pty": ptyLink = rest.popFirst()
    case "--listen": listen = rest.popFirst()
    case "--quiet": quiet = true
    case "--broker":
        guard let url = rest.popFirst(), url.hasPrefix("mqtt://"), let colon = url.lastIndex(of: ":"), let port = Int(url[url.index(after: colon)...]),
            (1...65535).contains(port), url.index(url.startIndex, offsetBy: 7) < colon
        else { fail("--broker takes mqtt://<host>:<port>") }
        broker = SimulatorBroker(host: String(url[url.index(url.startIndex, offsetBy: 7)..<colon]), port: port)
    case "--result-order":
        switch rest.popFirst() {
        case "before": behaviour.resultOrder = .before
        case "after": behaviour.resultOrder = .after
        default: fail("--result-order takes before or after")
        }
    case "--line-ending":
        switch rest.popFirst() {
        case "crlf": behaviour.lineEnding = [0x0D, 0x0A]
        case "lf": behaviour.lineEnding = [0x0A]
        case "crcrlf": behaviour.lineEnding = [0x0D, 0x0D, 0x0A]
        default: fail("--line-ending takes crlf, lf or crcrlf")
        }
    case "--data-echo": behaviour.dataEcho = true
    case "--latency":
        guard let text = rest.popFirst(), let milliseconds = Int(text), milliseconds >= 0 else { fail("--latency takes milliseconds") }
        behaviour.latency = .milliseconds(milliseconds)
    case "--urc-noise": behaviour.urcNoise = true
    case "--reboot-after":
        guard let text = rest.popFirst(), let count = Int(text), count > 0 else { fail("--reboot-after takes a number of commands") }
        behaviour.rebootAfter = count
    case "--reboot-banner":
        guard let text = rest.popFirst() else { fail("--reboot-banner takes a line") }
        behaviour.rebootBanner = text
    case "-h", "--help":
        printLine(usage)
        exit(0)
    default: fail("unknown argument '\(argument)'\n\(usage)")
    }
}
guard let specPath else { fail("--spec is required\n\(usage)") }
guard (ptyLink == nil) != (listen == nil) else { fail("give one of --pty and --listen\n\(usage)") }

let loaded = SpecLoader.loadComposed(path: specPath, searchPaths: basePaths)
let errors = loaded.diagnostics.filter { $0.severity == .error }
guard errors.isEmpty, let spec = loaded.spec else {
    for error in errors { printError("\(error)") }
    fail("\(specPath) has errors")
}
let log: (@Sendable (String) -> Void)? = quiet ? nil : printLine
let modem = SpecModem(spec: spec, behaviour: behaviour, broker: broker, log: log)

let brokerNote = broker.host.map { ", MQTT to mqtt://\($0):\(broker.port ?? 1883)" } ?? ""

if let ptyLink {
    let terminal = try ATPseudoTerminal()
    unlink(ptyLink)
    guard symlink(terminal.path, ptyLink) == 0 else { fail("cannot link \(ptyLink) to \(terminal.path)") }
    printLine("at-sim: \(spec.module.name.value) on \(ptyLink) -> \(terminal.path)\(brokerNote)")
    try await modem.serve(terminal)
    unlink(ptyLink)
} else if let listen {
    guard listen.hasPrefix("tcp://"), let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
        fail("--listen takes tcp://<address>:<port>")
    }
    let host = String(listen[listen.index(listen.startIndex, offsetBy: 6)..<colon])
    let listener = try TCPListener(host: host, port: port)
    printLine("at-sim: \(spec.module.name.value) listening on tcp://\(host):\(listener.port)\(brokerNote)")
    while true {
        let connection = try await listener.accept()
        printLine("at-sim: connected")
        try? await modem.serve(connection)
        await connection.close()
        printLine("at-sim: disconnected")
    }
}
