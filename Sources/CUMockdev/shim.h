// umockdev's C API plus one ioctl handler that makes a testbed pty look like a real serial port to
// libserialport: TIOCMGET reports the modem lines (DTR, RTS, CTS, DSR, CD), TIOCMBIS/BIC/SET are
// accepted, and every other ioctl runs on the pty itself (how the tests use it: docs/instruments.md,
// "Hardware-in-the-loop tests").
#include <umockdev.h>
#include <glib-object.h>
#include <string.h>
#include <sys/ioctl.h>

static gboolean ionlink_umockdev_tty_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user_data) {
    (void)handler; (void)user_data;
    gulong request = umockdev_ioctl_client_get_request(client);
    if (request == TIOCMGET) {
        GError *error = NULL;
        UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
        UMockdevIoctlData *bits = umockdev_ioctl_data_resolve(arg, 0, sizeof(int), &error);
        if (bits == NULL) {
            if (error) g_error_free(error);
            umockdev_ioctl_client_complete(client, -1, 14 /* EFAULT */);
            return TRUE;
        }
        int lines = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;
        memcpy(bits->data, &lines, sizeof lines);
        umockdev_ioctl_client_complete(client, 0, 0);
        g_object_unref(bits);
        return TRUE;
    }
    if (request == TIOCMBIS || request == TIOCMBIC || request == TIOCMSET) {
        umockdev_ioctl_client_complete(client, 0, 0);
        return TRUE;
    }
    int err = 0;
    GError *error = NULL;
    int result = umockdev_ioctl_client_execute(client, &err, &error);
    if (error) g_error_free(error);
    umockdev_ioctl_client_complete(client, result, err);
    return TRUE;
}

/// Attaches the serial-port ioctl handler to `devnode`. Returns FALSE and sets `message` (to be freed
/// with g_free) on failure.
static inline gboolean ionlink_umockdev_attach_tty(UMockdevTestbed *testbed, const char *devnode, char **message) {
    UMockdevIoctlBase *handler = umockdev_ioctl_base_new();
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(ionlink_umockdev_tty_ioctl), NULL);
    GError *error = NULL;
    gboolean ok = umockdev_testbed_attach_ioctl(testbed, devnode, handler, &error);
    g_object_unref(handler);
    if (!ok && message) { *message = g_strdup(error ? error->message : "attach_ioctl failed"); }
    if (error) g_error_free(error);
    return ok;
}

/// Adds a device from umockdev's text format. Returns FALSE and sets `message` on failure.
static inline gboolean ionlink_umockdev_add(UMockdevTestbed *testbed, const char *description, char **message) {
    GError *error = NULL;
    gboolean ok = umockdev_testbed_add_from_string(testbed, description, &error);
    if (!ok && message) { *message = g_strdup(error ? error->message : "add_from_string failed"); }
    if (error) g_error_free(error);
    return ok;
}

// ---- USB devices: an ioctl handler that keeps usbfs URBs for an emulator -------------------------
// libusb talks to /dev/bus/usb/BBB/DDD with usbfs ioctls. This handler answers the housekeeping ones,
// queues every submitted URB, tells the emulator about it through `submit`, and hands completed URBs
// back on REAPURB/REAPURBNDELAY (the model of umockdev's src/umockdev-pcap.vala).
#include <linux/usbdevice_fs.h>
#include <errno.h>

typedef void (*ionlink_usb_submit_fn)(void *context, void *urb, int type, int endpoint,
                                      const unsigned char *buffer, int length);

typedef struct ionlink_usb_urb {
    UMockdevIoctlData *urb;
    UMockdevIoctlData *buffer;
    unsigned long client_addr;
    int completed;
    struct ionlink_usb_urb *next;
} ionlink_usb_urb;

typedef struct {
    GMutex lock;
    ionlink_usb_urb *head;
    ionlink_usb_submit_fn submit;
    void *context;
} ionlink_usb_state;

static void ionlink_usb_append(ionlink_usb_state *s, ionlink_usb_urb *u) {
    ionlink_usb_urb **p = &s->head;
    while (*p) p = &(*p)->next;
    *p = u;
}

/// Completes a queued URB and makes it reapable. For IN transfers `data` is copied into its buffer
/// (after the 8-byte setup packet for control transfers); OUT transfers report their whole length as
/// sent. Returns 0 when the URB is no longer pending (the host discarded it). Safe from any thread.
static inline int ionlink_usb_complete(ionlink_usb_state *s, void *handle, int status, const unsigned char *data, int length) {
    int found = 0;
    g_mutex_lock(&s->lock);
    for (ionlink_usb_urb *u = s->head; u; u = u->next) {
        if ((void *)u != handle || u->completed) continue;
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)u->urb->data;
        int control = urb->type == USBDEVFS_URB_TYPE_CONTROL;
        int offset = control ? 8 : 0;
        int in = control ? (u->buffer->data_len > 0 && (u->buffer->data[0] & 0x80)) : (urb->endpoint & 0x80);
        if (in) {
            int room = u->buffer->data_len - offset;
            int n = length < room ? length : room;
            if (n > 0 && data) memcpy(u->buffer->data + offset, data, n);
            urb->actual_length = n > 0 ? n : 0;
        } else {
            // OUT: the device took everything that was sent (or nothing, on error).
            urb->actual_length = status == 0 ? u->buffer->data_len - offset : 0;
        }
        urb->status = status;
        u->completed = 1;
        found = 1;
        break;
    }
    g_mutex_unlock(&s->lock);
    return found;
}

static gboolean ionlink_usb_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user_data) {
    (void)handler;
    ionlink_usb_state *s = user_data;
    gulong request = umockdev_ioctl_client_get_request(client);
    gulong size = (request >> _IOC_SIZESHIFT) & ((1 << _IOC_SIZEBITS) - 1);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    GError *error = NULL;

    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, size, &error);
        if (!d) { if (error) g_error_free(error); umockdev_ioctl_client_complete(client, -1, EFAULT); return TRUE; }
        guint32 caps = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_ZERO_PACKET;
        memcpy(d->data, &caps, sizeof caps);
        umockdev_ioctl_client_complete(client, 0, 0);
        g_object_unref(d);
        return TRUE;
    }
    case USBDEVFS_CLAIMINTERFACE: case USBDEVFS_RELEASEINTERFACE: case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESET: case USBDEVFS_RESETEP: case USBDEVFS_SETINTERFACE: case USBDEVFS_SETCONFIGURATION:
        umockdev_ioctl_client_complete(client, 0, 0);
        return TRUE;
    case USBDEVFS_GETDRIVER: case USBDEVFS_IOCTL: case USBDEVFS_DISCONNECT_CLAIM:
        umockdev_ioctl_client_complete(client, -1, ENODATA);  // no kernel driver bound
        return TRUE;
    case USBDEVFS_SUBMITURB: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, size, &error);
        if (!d) { if (error) g_error_free(error); umockdev_ioctl_client_complete(client, -1, EFAULT); return TRUE; }
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)d->data;
        UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(d, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer), urb->buffer_length, &error);
        if (!buf) { if (error) g_error_free(error); g_object_unref(d); umockdev_ioctl_client_complete(client, -1, EFAULT); return TRUE; }
        ionlink_usb_urb *u = g_new0(ionlink_usb_urb, 1);
        u->urb = d;
        u->buffer = buf;
        u->client_addr = d->client_addr;
        int type = urb->type, endpoint = urb->endpoint, length = buf->data_len;
        g_mutex_lock(&s->lock);
        ionlink_usb_append(s, u);
        g_mutex_unlock(&s->lock);
        umockdev_ioctl_client_complete(client, 0, 0);
        s->submit(s->context, u, type, endpoint, buf->data, length);
        return TRUE;
    }
    case USBDEVFS_DISCARDURB: {
        unsigned long addr = 0;
        memcpy(&addr, arg->data, sizeof addr < (size_t)arg->data_len ? sizeof addr : (size_t)arg->data_len);
        int found = 0;
        g_mutex_lock(&s->lock);
        for (ionlink_usb_urb *u = s->head; u; u = u->next) {
            if (u->client_addr == addr && !u->completed) {
                ((struct usbdevfs_urb *)u->urb->data)->status = -ENOENT;
                ((struct usbdevfs_urb *)u->urb->data)->actual_length = 0;
                u->completed = 1;
                found = 1;
                break;
            }
        }
        g_mutex_unlock(&s->lock);
        umockdev_ioctl_client_complete(client, found ? 0 : -1, found ? 0 : EINVAL);
        return TRUE;
    }
    case USBDEVFS_REAPURB: case USBDEVFS_REAPURBNDELAY: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), &error);
        if (!d) { if (error) g_error_free(error); umockdev_ioctl_client_complete(client, -1, EFAULT); return TRUE; }
        ionlink_usb_urb *done = NULL;
        g_mutex_lock(&s->lock);
        for (ionlink_usb_urb **p = &s->head; *p; p = &(*p)->next) {
            if ((*p)->completed) { done = *p; *p = done->next; break; }
        }
        g_mutex_unlock(&s->lock);
        if (!done) {
            g_object_unref(d);
            umockdev_ioctl_client_complete(client, -1, EAGAIN);
            return TRUE;
        }
        umockdev_ioctl_data_set_ptr(d, 0, done->urb);
        umockdev_ioctl_client_complete(client, 0, 0);
        g_object_unref(d);
        g_object_unref(done->buffer);
        g_object_unref(done->urb);
        g_free(done);
        return TRUE;
    }
    default:
        umockdev_ioctl_client_complete(client, -1, ENOTTY);
        return TRUE;
    }
}

/// Attaches a URB-queueing handler to the USB device node; returns its state (never freed while the
/// testbed lives), or NULL with `message` set.
static inline ionlink_usb_state *ionlink_umockdev_attach_usb(UMockdevTestbed *testbed, const char *devnode,
                                                             ionlink_usb_submit_fn submit, void *context, char **message) {
    ionlink_usb_state *s = g_new0(ionlink_usb_state, 1);
    g_mutex_init(&s->lock);
    s->submit = submit;
    s->context = context;
    UMockdevIoctlBase *handler = umockdev_ioctl_base_new();
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(ionlink_usb_ioctl), s);
    GError *error = NULL;
    gboolean ok = umockdev_testbed_attach_ioctl(testbed, devnode, handler, &error);
    g_object_unref(handler);
    if (!ok) {
        if (message) *message = g_strdup(error ? error->message : "attach_ioctl failed");
        if (error) g_error_free(error);
        return NULL;
    }
    return s;
}
