// umockdev's C API plus one ioctl handler that makes a testbed pty look like a real serial port to
// libserialport: TIOCMGET reports the modem lines (DTR, RTS, CTS, DSR, CD), TIOCMBIS/BIC/SET are
// accepted, and every other ioctl runs on the pty itself (recipe in shared/README.md, "Testing real
// drivers without hardware").
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
