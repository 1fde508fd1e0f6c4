#include "config.h"
typedef int fk_placeholder;
int main(void){return 0;}
