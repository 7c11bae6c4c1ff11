import torch
from torch_geometric.data import Batch, Data

from rl_graph.core.models import GINClassifier


def test_representation_invariant_to_node_order():
    torch.manual_seed(0)
    g = Data(x=torch.randn(5, 3), edge_index=torch.tensor([[0, 1, 2, 3, 1], [1, 2, 3, 4, 4]]))
    perm = torch.tensor([3, 0, 4, 1, 2])
    inv = torch.empty_like(perm)
    inv[perm] = torch.arange(5)
    h = Data(x=g.x[perm], edge_index=inv[g.edge_index])
    model = GINClassifier(3, 16, 2).eval()
    za, zb = model.embed(Batch.from_data_list([g])), model.embed(Batch.from_data_list([h]))
    assert torch.allclose(za, zb, atol=1e-5)


def test_atom_encoder_path_and_gradients():
    g = Data(x=torch.zeros(4, 9, dtype=torch.long), edge_index=torch.tensor([[0, 1], [1, 2]]))
    model = GINClassifier(0, 8, 2, atoms=True)
    model(Batch.from_data_list([g, g])).sum().backward()
    assert model.encoder.embeddings[0].weight.grad is not None
