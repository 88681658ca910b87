// librdkafka's C API from Debian's librdkafka-dev (headers 2.0.2). At run time the
// library may be a newer librdkafka.so.1; see scripts/librdkafka-runtime.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
