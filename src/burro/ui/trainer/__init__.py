"""The Trainer screen's logic: the training request and its checks (`request`), the training
subprocess and its progress (`job`), and the model database (`pilots`); `handlers` serves
them under /api/trainer/…."""
