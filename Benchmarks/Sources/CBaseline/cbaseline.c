// cbaseline.c: plain C, memchr for line ends and quotes, no allocation: the reference the generated parsers are measured against.
#include "cbaseline.h"

#include <string.h>

/// A value folded as the benchmark's Checksum.of(bytes) does: length, first and last byte.
static uint64_t sum_bytes(const uint8_t *start, size_t count) {
    if (count == 0) return 0;
    return (uint64_t)count + (uint64_t)start[0] * 3 + (uint64_t)start[count - 1] * 7;
}

/// Reads a non-negative decimal integer at *p (below end); returns -1 when there is none.
static long read_int(const uint8_t **p, const uint8_t *end) {
    const uint8_t *q = *p;
    long value = 0;
    if (q >= end || *q < '0' || *q > '9') return -1;
    while (q < end && *q >= '0' && *q <= '9') value = value * 10 + (*q++ - '0');
    *p = q;
    return value;
}

/// True when [p, end) starts with the literal.
static int starts(const uint8_t *p, const uint8_t *end, const char *literal, size_t n) {
    return (size_t)(end - p) >= n && memcmp(p, literal, n) == 0;
}

/// The end of the line at p (the CR of its CR LF, or the LF), or end.
static const uint8_t *line_end(const uint8_t *p, const uint8_t *end) {
    const uint8_t *lf = memchr(p, '\n', (size_t)(end - p));
    if (!lf) return end;
    return lf > p && lf[-1] == '\r' ? lf - 1 : lf;
}

/// Past the CR LF (or LF) at p.
static const uint8_t *after_line_end(const uint8_t *p, const uint8_t *end) {
    if (p < end && *p == '\r') p++;
    if (p < end && *p == '\n') p++;
    return p;
}

cb_result cb_cmqttrx(const uint8_t *bytes, size_t length) {
    cb_result result = {0, 0};
    const uint8_t *p = bytes, *end = bytes + length;
    long client = -1, topic_total = 0, payload_total = 0;
    uint64_t data_sum = 0;
    while (p < end) {
        const uint8_t *eol = line_end(p, end);
        if (starts(p, eol, "+CMQTTRXSTART: ", 15)) {
            const uint8_t *q = p + 15;
            client = read_int(&q, eol);
            if (q < eol && *q == ',') q++;
            topic_total = read_int(&q, eol);
            if (q < eol && *q == ',') q++;
            payload_total = read_int(&q, eol);
            data_sum = 0;
            p = after_line_end(eol, end);
        } else if (starts(p, eol, "+CMQTTRXTOPIC: ", 15) || starts(p, eol, "+CMQTTRXPAYLOAD: ", 17)) {
            const uint8_t *comma = memchr(p, ',', (size_t)(eol - p));
            const uint8_t *q = comma ? comma + 1 : eol;
            long n = read_int(&q, eol);
            p = after_line_end(eol, end);
            if (n < 0 || n > end - p) break;
            data_sum += sum_bytes(p, (size_t)n);  // the data in place
            p = after_line_end(p + n, end);
        } else if (starts(p, eol, "+CMQTTRXEND: ", 13)) {
            if (client >= 0) {
                result.count++;
                result.checksum += (uint64_t)client + (uint64_t)topic_total + (uint64_t)payload_total + data_sum;
            }
            client = -1;
            p = after_line_end(eol, end);
        } else {
            p = after_line_end(eol, end);
        }
    }
    return result;
}

cb_result cb_smpublish(const uint8_t *bytes, size_t length) {
    cb_result result = {0, 0};
    const uint8_t *p = bytes, *end = bytes + length;
    while (p < end) {
        if (starts(p, end, "+SMPUBLISH: ", 12)) {
            const uint8_t *q = p + 12;
            long id = read_int(&q, end);
            if (id >= 0 && end - q > 2 && q[0] == ',' && q[1] == '"') {
                const uint8_t *topic = q + 2;
                const uint8_t *close = memchr(topic, '"', (size_t)(end - topic));
                if (close && close + 1 < end && close[1] == ',') {
                    q = close + 2;
                    long n = read_int(&q, end);
                    if (n >= 0 && end - q > n + 2 && q[0] == ',' && q[1] == '"' && q[2 + n] == '"') {
                        const uint8_t *message = q + 2;
                        result.count++;
                        result.checksum += (uint64_t)id + (uint64_t)n + sum_bytes(topic, (size_t)(close - topic)) + sum_bytes(message, (size_t)n);
                        p = after_line_end(message + n + 1, end);
                        continue;
                    }
                }
            }
        }
        p = after_line_end(line_end(p, end), end);
    }
    return result;
}

cb_result cb_mqttmsg(const uint8_t *bytes, size_t length) {
    cb_result result = {0, 0};
    const uint8_t *p = bytes, *end = bytes + length;
    while (p < end) {
        const uint8_t *eol = line_end(p, end);
        if (starts(p, eol, "+MQTTMSG: ", 10)) {
            const uint8_t *q = p + 10;
            long client = read_int(&q, eol);
            if (q < eol && *q == ',') q++;
            long qos = read_int(&q, eol);
            if (client >= 0 && qos >= 0 && eol - q > 2 && q[0] == ',' && q[1] == '"') {
                const uint8_t *topic = q + 2;
                const uint8_t *close = memchr(topic, '"', (size_t)(eol - topic));
                if (close && eol - close > 3 && close[1] == ',' && close[2] == '"' && eol[-1] == '"') {
                    const uint8_t *payload = close + 3;
                    result.count++;
                    result.checksum += (uint64_t)client + (uint64_t)qos + sum_bytes(topic, (size_t)(close - topic)) + sum_bytes(payload, (size_t)(eol - 1 - payload));
                }
            }
        }
        p = after_line_end(eol, end);
    }
    return result;
}

cb_result cb_connlost(const uint8_t *bytes, size_t length) {
    cb_result result = {0, 0};
    const uint8_t *p = bytes, *end = bytes + length;
    while (p < end) {
        const uint8_t *eol = line_end(p, end);
        if (starts(p, eol, "+CMQTTCONNLOST: ", 16)) {
            const uint8_t *q = p + 16;
            long client = read_int(&q, eol);
            if (q < eol && *q == ',') q++;
            long cause = read_int(&q, eol);
            if (client >= 0 && cause >= 0 && q == eol) {
                result.count++;
                result.checksum += (uint64_t)client + (uint64_t)cause;
            }
        }
        p = after_line_end(eol, end);
    }
    return result;
}
