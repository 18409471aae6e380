/* tc classifier in direct-action style, under both section spellings libbpf knows,
 * and one program that is not loaded by default ("?" prefix). */
#include "fixtures.h"

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	skb->mark = 0x42;
	return TC_ACT_OK;
}

SEC("classifier")
int tc_legacy(struct __sk_buff *skb)
{
	return skb->len > 1500 ? TC_ACT_SHOT : TC_ACT_UNSPEC;
}

/* "?" turns autoload off: libbpf opens this program but does not load it. */
SEC("?tc")
int tc_optional(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

FIXTURE_LICENSE;
