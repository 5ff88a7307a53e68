// glibc's allocator controls (mallopt), which the Glibc module does not import.
#include <malloc.h>
