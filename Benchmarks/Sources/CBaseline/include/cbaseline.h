// cbaseline.h: hand-written C parsers of the benchmark's four URC streams, as a practitioner writes them.
#ifndef CBASELINE_H
#define CBASELINE_H

#include <stddef.h>
#include <stdint.h>

/// The URCs a parser decoded and the checksum of their values (the benchmark's `Checksum`).
typedef struct {
    size_t count;
    uint64_t checksum;
} cb_result;

/// SIM7672X `+CMQTTRXSTART` ... `+CMQTTRXEND`, the topic and payload read by their declared lengths.
cb_result cb_cmqttrx(const uint8_t *bytes, size_t length);
/// SIM800 `+SMPUBLISH: <id>,"<topic>",<len>,"<message>"`, the message read by its declared length.
cb_result cb_smpublish(const uint8_t *bytes, size_t length);
/// FibocomL610 `+MQTTMSG: <client>,<qos>,"<topic>","<payload>"`.
cb_result cb_mqttmsg(const uint8_t *bytes, size_t length);
/// SIM7672X `+CMQTTCONNLOST: <client>,<cause>`.
cb_result cb_connlost(const uint8_t *bytes, size_t length);

#endif
