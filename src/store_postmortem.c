#include "config.h"

#include "store_private.h"
