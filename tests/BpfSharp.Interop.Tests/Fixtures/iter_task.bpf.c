/* A task iterator (iter/task) printing through the seq_file with BPF_SEQ_PRINTF. */
#include "fixtures.h"

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	if (!task)
		return 0;
	BPF_SEQ_PRINTF(seq, "%d %s\n", task->pid, task->comm);
	return 0;
}

SEC("iter/bpf_map")
int dump_maps(struct bpf_iter__bpf_map *ctx)
{
	struct bpf_map *map = ctx->map;
	if (!map)
		return 0;
	BPF_SEQ_PRINTF(ctx->meta->seq, "%u\n", map->id);
	return 0;
}

FIXTURE_LICENSE;
