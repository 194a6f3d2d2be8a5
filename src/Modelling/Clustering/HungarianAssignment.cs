namespace Pipeline.Modelling.Clustering;

/// <summary>
/// The assignment problem on a square cost matrix (Kuhn–Munkres with potentials, O(n³)): for each row, the column it
/// is assigned to, so that the total cost is least.
/// </summary>
public static class HungarianAssignment
{
    public static int[] Solve(long[,] cost)
    {
        var n = cost.GetLength(0);
        if (cost.GetLength(1) != n)
            throw new ArgumentException("the cost matrix must be square");
        // 1-based arrays with a virtual column 0, after the classic formulation.
        var u = new long[n + 1];
        var v = new long[n + 1];
        var match = new int[n + 1];   // match[column] = row
        var way = new int[n + 1];
        for (var row = 1; row <= n; row++)
        {
            match[0] = row;
            var column = 0;
            var least = Enumerable.Repeat(long.MaxValue, n + 1).ToArray();
            var used = new bool[n + 1];
            do
            {
                used[column] = true;
                int current = match[column], next = 0;
                var delta = long.MaxValue;
                for (var j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    var reduced = cost[current - 1, j - 1] - u[current] - v[j];
                    if (reduced < least[j]) (least[j], way[j]) = (reduced, column);
                    if (least[j] < delta) (delta, next) = (least[j], j);
                }
                for (var j = 0; j <= n; j++)
                {
                    if (used[j]) { u[match[j]] += delta; v[j] -= delta; }
                    else least[j] -= delta;
                }
                column = next;
            } while (match[column] != 0);
            do
            {
                var previous = way[column];
                match[column] = match[previous];
                column = previous;
            } while (column != 0);
        }
        var assignment = new int[n];
        for (var j = 1; j <= n; j++)
            assignment[match[j] - 1] = j - 1;
        return assignment;
    }
}
