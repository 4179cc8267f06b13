// FixtureSpecs.swift: small specs written for tests of what the seed specs do not contain (prefix-less answers, optional lengths).

/// Spec texts the tests load with `SpecLoader.load(text:file:)`.
public enum FixtureSpecs {
    /// The lines every fixture starts with: the module, one document, the conventions and an `OK` final result.
    static func header(_ name: String, _ description: String) -> String {
        #"""
        spec: 1
        module:
          name: \#(name)
          vendor: Test
          family: test
          models: [Test]
          description: \#(description)
        documents:
          t:
            title: A test document
        conventions:
          string_escape: none
          line_ending: "\r\n"
        final_results:
          - name: ok
            syntax: "OK"
            kind: success
            source: {doc: t, section: "1"}

        """#
    }

    /// A module whose `AT+CGSN` answers with a line that has no prefix (`<sn>`, an unquoted
    /// string), next to a URC and the usual final results; `AT+QMTRECV` reads a message
    /// whose length field is optional; `AT+SECRET` carries a secret.
    public static let prefixless = header("Prefixless", "A fixture for answers without a prefix.") + #"""
          - name: error
            syntax: "ERROR"
            kind: error
            source: {doc: t, section: "1"}
          - name: cme_error
            syntax: "+CME ERROR: <err>"
            kind: error
            source: {doc: t, section: "1"}
            parameters:
              err: {type: integer}
        commands:
          CGSN:
            title: Request product serial number identification
            swift_name: serialNumber
            source: {doc: t, section: "2"}
            forms:
              - kind: execute
                syntax: "AT+CGSN"
                source: {doc: t, section: "2"}
                responses:
                  - syntax: "<sn>"
            parameters:
              sn:
                type: string
                quoted: false
                description: The IMEI.
          QMTRECV:
            title: Read a message
            swift_name: read
            source: {doc: t, section: "3"}
            forms:
              - kind: write
                syntax: "AT+QMTRECV=<client_idx>"
                source: {doc: t, section: "3"}
                responses:
                  - syntax: "+QMTRECV: <client_idx>,<msgid>,<topic>[,<payload_len>],<payload>"
            parameters:
              client_idx: {type: integer, range: "0-5"}
              msgid: {type: integer}
              topic: {type: string, quoted: true}
              payload_len: {type: integer, unit: bytes}
              payload: {type: string, quoted: true, length_from: payload_len}
          SECRET:
            title: Set a password
            swift_name: setPassword
            source: {doc: t, section: "4"}
            forms:
              - kind: write
                syntax: "AT+SECRET=<user>,<pass>"
                source: {doc: t, section: "4"}
            parameters:
              user: {type: string, quoted: true}
              pass: {type: string, quoted: true, secret: true}
        urcs:
          CREG:
            title: Network registration
            syntax: "+CREG: <stat>"
            source: {doc: t, section: "5"}
            parameters:
              stat: {type: integer}
        examples:
          - id: serial
            title: The IMEI, a URC, then OK
            source: {doc: t, section: "2"}
            transcript: |
              AT+CGSN
              +CREG: 1
              490154203237518
              OK
              AT+CGSN
              +CME ERROR: 10
        """#
}

extension FixtureSpecs {
    /// A module with one prompt command (`AT+PUB=<len>`, then `>` and `<len>` bytes) and an
    /// example whose prompt line shows `shown` as the data sent.
    public static func prompt(shown: String) -> String {
        header("Prompting", "A fixture for prompt data.") + #"""
        commands:
          PUB:
            title: Publish
            swift_name: publish
            source: {doc: t, section: "2"}
            forms:
              - kind: write
                syntax: "AT+PUB=<len>"
                source: {doc: t, section: "2"}
                prompt:
                  text: ">"
                  data: payload
                  length: len
                  encoding: raw
            parameters:
              len: {type: integer, range: "1-64", unit: bytes}
              payload: {type: data, length: "1-64"}
        examples:
          - id: publish
            title: A publish
            source: {doc: t, section: "2"}
            transcript: |
              AT+PUB=4
              >\#(shown)
              OK
        """#
    }
}
