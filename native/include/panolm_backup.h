/* panolm_backup.h: see panolm.h for the conventions every function follows. */
#ifndef PANOLM_BACKUP_H
#define PANOLM_BACKUP_H

#include "panolm.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* PANOLM_BACKUP_H */
