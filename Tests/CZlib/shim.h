// zlib, for decoding the PNG screenshots of the report tests.
#include <zlib.h>
