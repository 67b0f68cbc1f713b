/**
 * Not API. The plumbing shared by every libolm-backed class: object memory in an owned arena with a
 * cleaner as safety net, and the call steps every wrapper shares: pickling, reading ids and keys,
 * passing randomness ({@link org.panolm.internal.libolm.LibolmObject}, described per type by
 * {@link org.panolm.internal.libolm.Pickling}), the kinds of libolm object
 * ({@link org.panolm.internal.libolm.LibolmType}), reusable native working memory wiped after each call
 * ({@link org.panolm.internal.libolm.Scratch}) and the byte/base64 moves between Java and libolm
 * ({@link org.panolm.internal.libolm.Libolm}).
 */
package org.panolm.internal.libolm;
