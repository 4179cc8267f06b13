// EngineModuleTypeCheckTests.swift: an engine sends the requests of its module and of the module it builds on, and no other compiles.

import ATGenerator
import Foundation
import Testing

@Suite("One engine per modem: the compiler checks the module")
struct EngineModuleTypeCheckTests {
    static func check(_ body: String) throws -> (status: Int32, output: String) {
        let code = """
            import ATModem
            import SIM800
            import SIM7672X
            import ThreeGPP

            func drive(_ engine: ATEngine<SIM7672X>) async throws {
            \(body)
            }

            """
        return try TypeCheck.run([GeneratedFile(path: "Drive/Drive.swift", contents: code)])
    }

    @Test func theVendorsAndTheBasesRequestsGoThroughOneEngine() throws {
        let (status, output) = try Self.check("""
                _ = try await engine.send(ThreeGPP.SignalQuality.Execute())
                _ = try await engine.send(ThreeGPP.EnterPIN.Read())
                _ = try await engine.send(SIM7672X.StartService.Execute())
                let raw = try await engine.send(raw: "AT+CFUN=1,1", timeout: .seconds(10))
                if raw.final == .base(.ok) { print(raw.texts) }
            """)
        #expect(status == 0, "\(output)")
        #expect(!output.contains("warning:"), "\(output)")
    }

    @Test func aRequestOfAnotherModuleDoesNotCompile() throws {
        let (status, output) = try Self.check("""
                _ = try await engine.send(SIM800.Disconnect.Test())
            """)
        #expect(status != 0)
        // Both overloads are ruled out by the request's module, and the compiler says so.
        #expect(output.contains("error: no exact matches in call to instance method 'send'"), "\(output)")
        #expect(output.contains("candidate requires that the types 'SIM7672X' and 'SIM800.Disconnect.Test.Module' (aka 'SIM800') be equivalent"), "\(output)")
        #expect(output.contains("candidate requires that the types 'SIM7672X.BaseModule' (aka 'ThreeGPP') and 'SIM800.Disconnect.Test.Module' (aka 'SIM800') be equivalent"), "\(output)")
    }
}
