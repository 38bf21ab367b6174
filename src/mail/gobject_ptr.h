#ifndef RT_MAIL_GOBJECT_PTR_H_
#define RT_MAIL_GOBJECT_PTR_H_

// Internal to rt_mail: include only from its .cc files, so that glib and
// GMime headers never reach the layers above.

#include <glib-object.h>

#include <memory>

namespace rt::mail {

// Owns one GObject reference (a GMime stream, parser, message, part...).
struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

}  // namespace rt::mail

#endif  // RT_MAIL_GOBJECT_PTR_H_
