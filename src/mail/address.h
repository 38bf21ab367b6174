#ifndef RT_MAIL_ADDRESS_H_
#define RT_MAIL_ADDRESS_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace rt::mail {

// Limits from RFC 5321 section 4.5.3.1 (path 256 including the angle
// brackets, so 254 for the address itself).
inline constexpr size_t kMaxAddressBytes = 254;
inline constexpr size_t kMaxLocalPartBytes = 64;
inline constexpr size_t kMaxDomainLabelBytes = 63;
// Longer display names are cut (at a code point boundary), not refused.
inline constexpr size_t kMaxDisplayNameBytes = 200;

// Checks an addr-spec as we send it: an ASCII dot-atom local part, "@", and a
// host name of letters, digits and hyphens (IDNs in their xn-- form) with at
// least two labels, within the RFC 5321 lengths. Quoted local parts, address
// literals, comments and non-ASCII (SMTPUTF8) addresses are refused: nobody
// we mail needs them, and each is a parsing ambiguity. `field` names the
// input in the error ("to", "reply_to", ...). Error code: mail_invalid_address.
Status ValidateAddress(std::string_view address, std::string_view field);

// True when `domain` is a host name that ValidateAddress accepts after "@".
bool IsValidDomain(std::string_view domain);

// A display name made safe for a header: every control character (C0, C1,
// DEL; so CR, LF, NUL, TAB) becomes a space, runs of spaces collapse, the ends
// are trimmed, and it is cut to kMaxDisplayNameBytes. Names are cleaned
// instead of refused because they are decoration chosen by members: a strange
// name must not stop the mail, and the address beside it is what counts.
// Invalid UTF-8 is not repaired; callers refuse it (see Render).
std::string CleanDisplayName(std::string_view name);

}  // namespace rt::mail

#endif  // RT_MAIL_ADDRESS_H_
