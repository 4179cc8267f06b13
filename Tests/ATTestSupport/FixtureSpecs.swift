// FixtureSpecs.swift: small specs written for tests of what the seed specs do not contain (prefix-less answers, optional lengths).

/// Spec texts the tests load with `SpecLoader.load(text:file:)`.
public enum FixtureSpecs {
    /// The lines every fixture starts with: the module, one document, the conventions and an `OK` final result.
    static func header(_ name: String, _ description: String, version: Int = 1) -> String {
        #"""
        spec: \#(version)
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

    /// A module with a small MQTT stack and its `mqtt` section: connect with a deferred result,
    /// subscribe, unsubscribe, a quoted publish and one after a prompt, a message URC, a
    /// connection-lost URC and refusal codes. Lint-clean; tests break it one way at a time.
    public static let miniMQTT = header("MiniMQTT", "A fixture for the mqtt section.", version: 2) + #"""
          - name: error
            syntax: "ERROR"
            kind: error
            source: {doc: t, section: "1"}
        errors:
          mqtt:
            title: MQTT results
            source: {doc: t, section: "3"}
            codes:
              0: {name: ok, text: ok}
              5: {name: bad_credentials, text: bad user name or password}
              9: {name: no_connection, text: no connection}
        commands:
          MCONN:
            title: Connect
            swift_name: connect
            source: {doc: t, section: "2.1"}
            forms:
              - kind: write
                syntax: "AT+MCONN=<client>,<host>,<port>,<keepalive>[,<user>[,<pass>]]"
                source: {doc: t, section: "2.1"}
                deferred:
                  syntax: "+MCONN: <client>,<err>"
                  order: after
                  success: {err: 0}
            parameters:
              client: {type: integer, range: "1-2"}
              host: {type: string, length: "1-64"}
              port: {type: integer, range: "1-65535"}
              keepalive: {type: integer, range: "10-600"}
              user: {type: string, length: "1-32"}
              pass: {type: string, length: "1-32", secret: true}
              err: {type: error, table: mqtt}
          MDISC:
            title: Disconnect
            swift_name: disconnect
            source: {doc: t, section: "2.2"}
            forms:
              - kind: write
                syntax: "AT+MDISC=<client>"
                source: {doc: t, section: "2.2"}
            parameters:
              client: {type: integer, range: "1-2"}
          MSUB:
            title: Subscribe
            swift_name: subscribe
            source: {doc: t, section: "2.3"}
            forms:
              - kind: write
                syntax: "AT+MSUB=<client>,<topic>,<qos>"
                source: {doc: t, section: "2.3"}
            parameters:
              client: {type: integer, range: "1-2"}
              topic: {type: string, length: "1-128"}
              qos: {type: enum, values: {0: {name: at_most_once}, 1: {name: at_least_once}}}
          MUNSUB:
            title: Unsubscribe
            swift_name: unsubscribe
            source: {doc: t, section: "2.4"}
            forms:
              - kind: write
                syntax: "AT+MUNSUB=<client>,<topic>"
                source: {doc: t, section: "2.4"}
            parameters:
              client: {type: integer, range: "1-2"}
              topic: {type: string, length: "1-128"}
          MPUB:
            title: Publish
            swift_name: publish
            source: {doc: t, section: "2.5"}
            forms:
              - kind: write
                name: text
                syntax: "AT+MPUB=<client>,<topic>,<qos>,<retain>,<message>"
                source: {doc: t, section: "2.5"}
              - kind: write
                name: data
                syntax: "AT+MPUB=<client>,<topic>,<qos>,<retain>,<length>"
                source: {doc: t, section: "2.5"}
                prompt:
                  text: ">"
                  data: payload
                  length: length
                  encoding: raw
            parameters:
              client: {type: integer, range: "1-2"}
              topic: {type: string, length: "1-128"}
              qos: {type: enum, values: {0: {name: at_most_once}, 1: {name: at_least_once}}}
              retain: {type: flag}
              message: {type: string, length: "0-100"}
              length: {type: integer, range: "1-512", unit: bytes}
              payload: {type: data, length: "1-512"}
        urcs:
          MRECV:
            title: Message
            syntax: "+MRECV: <client>,<topic>,<payload>"
            source: {doc: t, section: "2.6"}
            parameters:
              client: {type: integer}
              topic: {type: string}
              payload: {type: string}
          MLOST:
            title: Connection lost
            syntax: "+MLOST: <client>"
            source: {doc: t, section: "2.7"}
            parameters:
              client: {type: integer}
        mqtt:
          source: {doc: t, section: "4"}
          clients: {value: 2, first: 1, source: {doc: t, section: "2.1"}}
          limits:
            payload: {value: 512, source: {doc: t, section: "2.5"}}
            topic: {value: 128, source: {doc: t, section: "2.5"}}
          qos: {value: [0, 1], source: {doc: t, section: "2.5"}}
          retain: {value: true, source: {doc: t, section: "2.5"}}
          will: {value: false, source: {doc: t, section: "2.1"}}
          tls: {value: false, source: {doc: t, section: "2.1"}}
          operations:
            connect:
              steps:
                - command: MCONN
                  form: write
                  bind: {client: $client, host: $host, port: $port, keepalive: $keep_alive, user: $username, pass: $password}
            disconnect:
              steps:
                - {command: MDISC, form: write, bind: {client: $client}}
            subscribe:
              steps:
                - {command: MSUB, form: write, each: topic, bind: {client: $client, topic: $topic, qos: $qos}}
            unsubscribe:
              steps:
                - {command: MUNSUB, form: write, each: topic, bind: {client: $client, topic: $topic}}
            publish:
              variants:
                - steps:
                    - {command: MPUB, form: text, bind: {client: $client, topic: $topic, qos: $qos, retain: $retain, message: $payload}}
                - steps:
                    - {command: MPUB, form: data, bind: {client: $client, topic: $topic, qos: $qos, retain: $retain, payload: $payload}}
          messages:
            - urc: MRECV
              fields: {client: client, topic: topic, payload: payload}
          connection_lost:
            - urc: MLOST
              fields: {client: client}
          outcomes:
            bad_credentials: [{parameter: err, values: [5]}]
            not_connected: [{parameter: err, values: [9]}]
        """#
}
