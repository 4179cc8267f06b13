// TypedRequestPropertyTests.swift: generated request initializers of all three modules, with random valid values and hostile strings.

import ATRuntime
import ATSpec
import FibocomL610
import SIM7672X
import SIM800
import Testing

/// A generated request type with one string parameter under test: `build` makes the request
/// with `value` in that parameter and random valid values (from the spec) elsewhere, and
/// returns it with every value it wrote, by the spec's parameter names.
struct TypedCase: CustomTestStringConvertible, Sendable {
    let module: String
    let command: String
    /// The spec's name of the string parameter that `value` goes into.
    let parameter: String
    let build: @Sendable (String, inout ValueMaker, Command) throws(ATParameterError) -> (any ATRequest, [String: String])

    var testDescription: String { "\(module) \(command).\(parameter)" }
}

@Suite("Typed request properties")
struct TypedRequestPropertyTests {
    /// Request types with string parameters, across the three modules.
    static let cases: [TypedCase] = [
        TypedCase(module: "SIM800", command: "SMSUB", parameter: "topic") { value, maker, command throws(ATParameterError) in
            let qos = maker.integer(command.parameter("qos"))
            return (try SIM800.Subscribe.Write(topic: value, qos: qos), ["topic": value, "qos": "\(qos)"])
        },
        TypedCase(module: "SIM800", command: "SMPUB", parameter: "message") { value, maker, command throws(ATParameterError) in
            let topic = maker.string(command.parameter("topic"))
            let qos = maker.integer(command.parameter("qos"))
            let retain = maker.chance(50)
            let request = try SIM800.Publish.Write(topic: topic, qos: qos, retain: retain, message: value)
            return (request, ["topic": topic, "qos": "\(qos)", "retain": retain ? "1" : "0", "message": value])
        },
        TypedCase(module: "SIM800", command: "SMUNSUB", parameter: "topic") { value, _, _ throws(ATParameterError) in
            (try SIM800.Unsubscribe.Write(topic: value), ["topic": value])
        },
        TypedCase(module: "SIM800", command: "SAZURECONF", parameter: "device_id") { value, maker, command throws(ATParameterError) in
            let url = maker.string(command.parameter("url"))
            let key = maker.string(command.parameter("device_key"))
            let expiry = maker.integer(command.parameter("expiry_time"))
            let request = try SIM800.ConfigureAzure.Write(url: url, deviceID: value, deviceKey: key, expiryTime: expiry)
            return (request, ["url": url, "device_id": value, "device_key": key, "expiry_time": "\(expiry)"])
        },
        TypedCase(module: "SIM7672X", command: "CMQTTCONNECT", parameter: "user_name") { value, maker, command throws(ATParameterError) in
            let index = maker.integer(command.parameter("client_index"))
            let server = maker.string(command.parameter("server_addr"))
            let keepAlive = maker.integer(command.parameter("keepalive_time"))
            let clean = maker.chance(50)
            let password = maker.chance(50) ? maker.string(command.parameter("pass_word")) : nil
            let request = try SIM7672X.Connect.Write(
                clientIndex: index, serverAddress: server, keepAliveTime: keepAlive, cleanSession: clean, userName: value,
                password: password)
            var expected = [
                "client_index": "\(index)", "server_addr": server, "keepalive_time": "\(keepAlive)",
                "clean_session": clean ? "1" : "0", "user_name": value,
            ]
            expected["pass_word"] = password
            return (request, expected)
        },
        TypedCase(module: "SIM7672X", command: "CMQTTCONNECT", parameter: "pass_word") { value, maker, command throws(ATParameterError) in
            let index = maker.integer(command.parameter("client_index"))
            let server = maker.string(command.parameter("server_addr"))
            let user = maker.string(command.parameter("user_name"))
            let request = try SIM7672X.Connect.Write(
                clientIndex: index, serverAddress: server, keepAliveTime: 60, cleanSession: true, userName: user, password: value)
            return (request, [
                "client_index": "\(index)", "server_addr": server, "keepalive_time": "60", "clean_session": "1", "user_name": user,
                "pass_word": value,
            ])
        },
        TypedCase(module: "SIM7672X", command: "CMQTTACCQ", parameter: "client_id") { value, maker, command throws(ATParameterError) in
            let index = maker.integer(command.parameter("client_index"))
            let serverType = maker.integer(command.parameter("server_type"))
            let request = try SIM7672X.AcquireClient.Write(
                clientIndex: index, clientID: value, serverType: SIM7672X.AcquireClient.ServerType(rawValue: serverType))
            return (request, ["client_index": "\(index)", "client_id": value, "server_type": "\(serverType)"])
        },
        TypedCase(module: "FibocomL610", command: "MQTTOPEN", parameter: "remote_host") { value, maker, command throws(ATParameterError) in
            let id = maker.integer(command.parameter("client_id"))
            let port = maker.integer(command.parameter("remote_port"))
            let clean = maker.chance(50)
            let keepAlive = maker.integer(command.parameter("keepalive"))
            let request = try FibocomL610.Open.Write(clientID: id, host: value, port: port, cleanSession: clean, keepAlive: keepAlive)
            return (request, [
                "client_id": "\(id)", "remote_host": value, "remote_port": "\(port)", "clean_session": clean ? "1" : "0",
                "keepalive": "\(keepAlive)",
            ])
        },
        TypedCase(module: "FibocomL610", command: "MQTTUSER", parameter: "username") { value, maker, command throws(ATParameterError) in
            let id = maker.integer(command.parameter("client_id"))
            let password = maker.string(command.parameter("password"))
            let request = try FibocomL610.SetUser.Write(clientID: id, username: value, password: password)
            return (request, ["client_id": "\(id)", "username": value, "password": password])
        },
        TypedCase(module: "FibocomL610", command: "MQTTSUB", parameter: "topic") { value, maker, command throws(ATParameterError) in
            let id = maker.integer(command.parameter("client_id"))
            let qos = maker.integer(command.parameter("qos"))
            let request = try FibocomL610.Subscribe.Write(clientID: id, topic: value, qos: FibocomL610.QoS(rawValue: qos))
            return (request, ["client_id": "\(id)", "topic": value, "qos": "\(qos)"])
        },
        TypedCase(module: "FibocomL610", command: "MQTTPUB", parameter: "payload") { value, maker, command throws(ATParameterError) in
            let id = maker.integer(command.parameter("client_id"))
            let topic = maker.string(command.parameter("topic"))
            let qos = maker.integer(command.parameter("qos"))
            let retain = maker.chance(50)
            let request = try FibocomL610.Publish.Payload(
                clientID: id, topic: topic, qos: FibocomL610.QoS(rawValue: qos), retain: retain, payload: value)
            return (request, [
                "client_id": "\(id)", "topic": topic, "qos": "\(qos)", "retain": retain ? "1" : "0", "payload": value,
            ])
        },
    ]

    static func command(_ typed: TypedCase) throws -> Command {
        try #require(try Seeds.spec(typed.module).commands.first { $0.id == typed.command })
    }

    /// Built from random values the spec allows, each request is accepted, encodes to one line
    /// with its CR at the end, and its own descriptor reads every value back.
    @Test(arguments: cases)
    func validValuesRoundTrip(_ typed: TypedCase) throws {
        let command = try Self.command(typed)
        let parameter = try #require(command.parameter(typed.parameter))
        var maker = ValueMaker(seed: UInt64(typed.testDescription.utf8.count) &* 0xC0DE)
        for _ in 0..<100 {
            let value = maker.string(parameter)
            let (request, expected) = try typed.build(value, &maker, command)
            let bytes = request.encode()
            #expect(bytes.last == 0x0D)
            #expect(!bytes.dropLast().contains { EncodingPropertyTests.lineBreaking.contains($0) })
            let line = String(decoding: bytes.dropLast(), as: UTF8.self)
            let fields = try #require(request.descriptor.match(line), "\(line)")
            var read: [String: String] = [:]
            for field in fields { read[field.name] = field.text }
            #expect(read == expected, "\(line)")
        }
    }

    /// Given hostile strings, each initializer either throws ``ATParameterError`` naming the
    /// parameter, or builds a request whose line has its one CR at the end and reads the
    /// string back unchanged.
    @Test(arguments: cases)
    func hostileStringsAreRejectedOrEncodedSafely(_ typed: TypedCase) throws {
        let command = try Self.command(typed)
        var maker = ValueMaker(seed: UInt64(typed.testDescription.utf8.count) &* 0xFEED)
        var rejected = 0
        var accepted = 0
        for _ in 0..<300 {
            let value = maker.hostileString()
            let built: (any ATRequest, [String: String])
            do {
                built = try typed.build(value, &maker, command)
            } catch {
                #expect(error.parameter == typed.parameter, "\(value.debugDescription): \(error)")
                rejected += 1
                continue
            }
            accepted += 1
            let bytes = built.0.encode()
            #expect(bytes.last == 0x0D)
            #expect(!bytes.dropLast().contains { EncodingPropertyTests.lineBreaking.contains($0) }, "\(value.debugDescription)")
            let line = String(decoding: bytes.dropLast(), as: UTF8.self)
            let field = built.0.descriptor.match(line)?.first { $0.name == typed.parameter }
            #expect(field?.text == value, "\(value.debugDescription) in \(line.debugDescription)")
        }
        #expect(rejected > 0)
        #expect(accepted + rejected == 300)
    }
}
