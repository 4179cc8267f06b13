// The libyaml C API (system library, pkg-config yaml-0.1).
#include <yaml.h>
