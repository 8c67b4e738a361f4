/* qr.h — a QR code as SVG (libqrencode from Debian), for the address where students join. */
#ifndef TL_SERVE_QR_H
#define TL_SERVE_QR_H

#include "json.h"

/* Append an SVG of text's QR code (error correction M, 4-module quiet zone)
 * to b. 0, or -1 when the text cannot be encoded. */
int srv_qr_svg(const char *text, srv_buf *b);

#endif
