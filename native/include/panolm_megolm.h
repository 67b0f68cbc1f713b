/* panolm_megolm.h: see panolm.h for the conventions every function follows. */
#ifndef PANOLM_MEGOLM_H
#define PANOLM_MEGOLM_H

#include "panolm.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* PANOLM_MEGOLM_H */
