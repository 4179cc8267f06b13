// The libmosquitto C API (system library, pkg-config libmosquitto), for at-sim's broker connection.
#include <mosquitto.h>
