/**
 * Matrix's encodings of bytes (unpadded base64 and the like).
 */
@NullMarked
package org.panolm.encoding;

import org.jspecify.annotations.NullMarked;
