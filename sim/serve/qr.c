/* qr.c — QR code to SVG: one path of unit squares, dark modules only, scaled by the viewBox. */
#include "qr.h"

#include <qrencode.h>

int srv_qr_svg(const char *text, srv_buf *b)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    int w, quiet = 4;
    if (!q)
        return -1;
    w = q->width + 2 * quiet;
    srv_buf_printf(b,
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                   "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
                   "<path fill=\"#000\" d=\"",
                   w, w, w, w);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                srv_buf_printf(b, "M%d %dh1v1h-1z", x + quiet, y + quiet);
    srv_buf_puts(b, "\"/></svg>");
    QRcode_free(q);
    return 0;
}
