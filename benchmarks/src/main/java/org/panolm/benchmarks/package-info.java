/** JMH benchmarks of panolm against libolm and pure-JDK baselines. */
package org.panolm.benchmarks;
