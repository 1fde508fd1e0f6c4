#include "config.h"
typedef int fk_placeholder;
