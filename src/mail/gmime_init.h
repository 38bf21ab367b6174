#ifndef RT_MAIL_GMIME_INIT_H_
#define RT_MAIL_GMIME_INIT_H_

namespace rt::mail {

// Runs g_mime_init() once per process (std::call_once), so any thread may call
// it before using GMime. GMime is never shut down: its caches live as long as
// the process, and g_mime_shutdown() would race with other threads.
void EnsureGMimeInitialized();

}  // namespace rt::mail

#endif  // RT_MAIL_GMIME_INIT_H_
