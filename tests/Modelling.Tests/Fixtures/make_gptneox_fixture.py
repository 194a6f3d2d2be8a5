#!/usr/bin/env python3
"""Builds the Hugging Face parity fixture for HuggingFaceParityTests.

Run on a machine with PyTorch, transformers and safetensors (the development machine cannot install transformers):

    python3 tests/Modelling.Tests/Fixtures/make_gptneox_fixture.py

It writes tests/Modelling.Tests/Fixtures/gptneox-tiny/ with:
  config.json, model.safetensors   a tiny random GPTNeoXForCausalLM as save_pretrained writes it
  input_ids.json                   the token ids the logits were computed for
  expected_logits.safetensors      "logits" [2, 16, 128] float32 and "input_ids" [2, 16] int64

Commit the folder; the C# test then checks that Pipeline's GptNeoXModel reproduces transformers' logits (fp32).
"""
import json
import pathlib

import torch
from safetensors.torch import save_file
from transformers import GPTNeoXConfig, GPTNeoXForCausalLM

OUT = pathlib.Path(__file__).resolve().parent / "gptneox-tiny"


def main() -> None:
    torch.manual_seed(0)
    config = GPTNeoXConfig(
        hidden_size=64,
        num_attention_heads=4,
        num_hidden_layers=2,
        intermediate_size=256,
        rotary_pct=0.25,
        rotary_emb_base=10000,
        vocab_size=128,
        max_position_embeddings=128,
        use_parallel_residual=True,
        layer_norm_eps=1e-5,
        hidden_act="gelu",
        tie_word_embeddings=False,
        attn_implementation="eager",
    )
    model = GPTNeoXForCausalLM(config).float().eval()

    # transformers initialises biases to 0 and layer norms to (1, 0); perturb them so the test would notice a bias
    # or a norm loaded into the wrong place.
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith(".bias") or "layernorm" in name or "layer_norm" in name:
                parameter.add_(0.1 * torch.randn_like(parameter))

    generator = torch.Generator().manual_seed(1)
    input_ids = torch.randint(0, config.vocab_size, (2, 16), generator=generator, dtype=torch.int64)
    with torch.no_grad():
        logits = model(input_ids).logits.float().contiguous()

    OUT.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(OUT, safe_serialization=True)
    (OUT / "input_ids.json").write_text(json.dumps({"input_ids": input_ids.tolist()}))
    save_file({"logits": logits, "input_ids": input_ids.contiguous()}, str(OUT / "expected_logits.safetensors"))
    print(f"wrote {OUT} (logits {tuple(logits.shape)})")


if __name__ == "__main__":
    main()
