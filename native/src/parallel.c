/* The one way libpanolm spreads a batch over threads: the calling thread works too, helpers are started
 * per call and joined before it returns, and every worker claims items from the job's own shared
 * counter. Used by the backup batches, the Olm batch encryption and the Megolm batch decryption. */
#include <pthread.h>
#include <unistd.h>
#include "common.h"

uint32_t pl_thread_count(uint32_t requested, size_t useful, uint32_t max) {
    uint32_t threads = requested;
    if (threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus < 1 ? 1u : (uint32_t) cpus;
    }
    if (threads > max) threads = max;
    if (threads > useful) threads = useful == 0 ? 1u : (uint32_t) useful;
    return threads;
}

void pl_run_parallel(void *(*worker)(void *), void *job, uint32_t threads) {
    pthread_t ids[PL_MAX_THREADS];
    uint32_t started = 0;
    if (threads > PL_MAX_THREADS) threads = PL_MAX_THREADS;
    /* A thread that cannot be started only means fewer helpers: the caller's thread finishes the work. */
    for (uint32_t t = 1; t < threads; t++) {
        if (pthread_create(&ids[started], NULL, worker, job) == 0) started++;
    }
    worker(job);
    for (uint32_t t = 0; t < started; t++) pthread_join(ids[t], NULL);
}
