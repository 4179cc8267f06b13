// Baselines.swift: what a user would write by hand (split on CR LF, prefix checks, split on commas), and a bare byte scan.

/// The reference points the decoder is measured against.
enum Baselines {
    /// The ceiling: find every line end and do nothing else.
    static func scan(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var lines = 0
            var lastEnd = 0
            for index in 0..<buffer.count where buffer[index] == 0x0A {
                lines += 1
                lastEnd = index
            }
            return lines &+ lastEnd
        }
    }

    /// The whole stream as text, cut into lines at CR LF.
    static func lines(_ bytes: [UInt8]) -> [Substring] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\r\n")
    }

    /// `+CMQTTRXSTART` … `+CMQTTRXEND`, taking the line after a TOPIC or PAYLOAD header as its data.
    static func cmqttrx(_ bytes: [UInt8]) -> (count: Int, checksum: UInt64) {
        var count = 0
        var checksum: UInt64 = 0
        var header: [Int] = []
        var topic: [UInt8] = []
        var payload: [UInt8] = []
        var dataFor = ""
        for line in lines(bytes) {
            if dataFor == "topic" {
                topic = Array(line.utf8)
                dataFor = ""
            } else if dataFor == "payload" {
                payload = Array(line.utf8)
                dataFor = ""
            } else if line.hasPrefix("+CMQTTRXSTART: ") {
                header = line.dropFirst(15).split(separator: ",").compactMap { Int($0) }
                topic = []
                payload = []
            } else if line.hasPrefix("+CMQTTRXTOPIC: ") {
                dataFor = "topic"
            } else if line.hasPrefix("+CMQTTRXPAYLOAD: ") {
                dataFor = "payload"
            } else if line.hasPrefix("+CMQTTRXEND: "), header.count == 3 {
                count += 1
                checksum &+= Checksum.of(header[0], header[1], header[2]) &+ Checksum.of(topic) &+ Checksum.of(payload)
            }
        }
        return (count, checksum)
    }

    /// `+SMPUBLISH: <id>,"<topic>",<len>,"<message>"`.
    static func smpublish(_ bytes: [UInt8]) -> (count: Int, checksum: UInt64) {
        var count = 0
        var checksum: UInt64 = 0
        for line in lines(bytes) where line.hasPrefix("+SMPUBLISH: ") {
            let fields = line.dropFirst(12).split(separator: ",")
            guard fields.count == 4, let id = Int(fields[0]), let length = Int(fields[2]) else { continue }
            let topic = String(fields[1].dropFirst().dropLast())
            let message = String(fields[3].dropFirst().dropLast())
            count += 1
            checksum &+= Checksum.of(id, length) &+ Checksum.of(topic) &+ Checksum.of(message)
        }
        return (count, checksum)
    }

    /// `+MQTTMSG: <client>,<qos>,"<topic>","<payload>"`.
    static func mqttmsg(_ bytes: [UInt8]) -> (count: Int, checksum: UInt64) {
        var count = 0
        var checksum: UInt64 = 0
        for line in lines(bytes) where line.hasPrefix("+MQTTMSG: ") {
            let fields = line.dropFirst(10).split(separator: ",")
            guard fields.count == 4, let client = Int(fields[0]), let qos = Int(fields[1]) else { continue }
            let topic = String(fields[2].dropFirst().dropLast())
            let payload = String(fields[3].dropFirst().dropLast())
            count += 1
            checksum &+= Checksum.of(client, qos) &+ Checksum.of(topic) &+ Checksum.of(payload)
        }
        return (count, checksum)
    }

    /// `+CMQTTCONNLOST: <client>,<cause>`.
    static func connectionLost(_ bytes: [UInt8]) -> (count: Int, checksum: UInt64) {
        var count = 0
        var checksum: UInt64 = 0
        for line in lines(bytes) where line.hasPrefix("+CMQTTCONNLOST: ") {
            let fields = line.dropFirst(16).split(separator: ",")
            guard fields.count == 2, let client = Int(fields[0]), let cause = Int(fields[1]) else { continue }
            count += 1
            checksum &+= Checksum.of(client, cause)
        }
        return (count, checksum)
    }
}
