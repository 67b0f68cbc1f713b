/* panolm_secrets.h: see panolm.h for the conventions every function follows. */
#ifndef PANOLM_SECRETS_H
#define PANOLM_SECRETS_H

#include "panolm.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* PANOLM_SECRETS_H */
